/**
 * The transport-neutral HTTP model: handlers a node serves and clients bound to one peer. The
 * transports translate it to and from their own HTTP stacks.
 */
package io.gossipnet.core.http;
