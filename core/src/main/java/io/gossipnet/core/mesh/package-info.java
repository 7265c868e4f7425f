/**
 * The mesh thread: a {@link io.gossipnet.core.mesh.Mesher} that periodically, and on request, runs
 * a transport's {@link io.gossipnet.core.mesh.MeshStrategy} to keep the wanted number of outgoing
 * connections, optionally backing off with {@link io.gossipnet.core.mesh.JitterBackoff} while no
 * peers are found.
 */
package io.gossipnet.core.mesh;
