package io.gossipnet.core.http;

/**
 * A node whose HTTP handlers live in one {@link HttpRouter} that can be read: a {@code
 * NetworkEngine} and a hybrid node (whose two networks share one router). Services that register
 * routes at start read it to see which paths are already taken.
 */
public interface RoutedNode {
  /** The router every transport of the node serves. */
  HttpRouter httpRouter();
}
