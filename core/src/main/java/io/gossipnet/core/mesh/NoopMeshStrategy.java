package io.gossipnet.core.mesh;

/**
 * A {@link MeshStrategy} that does nothing and reports no connections, for nodes that do not
 * dial out (the seed's {@code noopMeshCreator}).
 */
public final class NoopMeshStrategy implements MeshStrategy {
  /** The instance. */
  public static final NoopMeshStrategy INSTANCE = new NoopMeshStrategy();

  private NoopMeshStrategy() {}

  /** Does nothing. */
  @Override
  public int meshPass(int target) {
    return 0;
  }
}
