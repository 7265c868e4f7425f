package io.gossipnet.core.mesh;

/**
 * One mesh pass of a network (the seed's {@code netMeshFn}): look at the current connections and
 * start or drop connections to get closer to {@code target}. Called by the {@link Mesher} from its
 * own thread, one pass at a time.
 */
@FunctionalInterface
public interface MeshStrategy {
  /**
   * Runs one pass.
   *
   * @param target the number of outgoing connections wanted (the gossip fanout)
   * @return the outgoing plus pending connections after the pass; 0 makes a backing-off {@link
   *     Mesher} back off
   */
  int meshPass(int target);
}
