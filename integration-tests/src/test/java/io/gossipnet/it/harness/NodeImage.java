package io.gossipnet.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The gossipnet node image, built {@code FROM scratch} by the tests themselves (no registry is
 * reachable here, so nothing may be pulled).
 *
 * <p>The build context is assembled under {@code integration-tests/target/node-image/}:
 *
 * <ol>
 *   <li>a Java runtime made with {@code jlink} from the JDK that runs the tests, holding the modules
 *       {@code jdeps --print-module-deps --ignore-missing-deps} finds in the node jar plus {@link
 *       #EXTRA_MODULES}, less {@link #EXCLUDED_MODULES} (the module list is kept in {@code
 *       modules.txt} for the same jar and JDK). It is cached in {@code target/node-image/runtime} and made again only when
 *       the module list or the JDK changes;
 *   <li>the shared libraries that runtime needs, found with {@code ldd} and copied to the same paths
 *       in the image, the dynamic loader among them, an {@code /etc/nsswitch.conf}, an empty
 *       {@code /tmp} and an empty {@value #DATA_DIR} (a P2P node's {@code --data-dir}: {@code run}
 *       writes its key there but does not create the directory);
 *   <li>the node's shaded jar ({@code node/target/gossipnet-node.jar}, system property {@code
 *       gossipnet.node.jar}).
 * </ol>
 *
 * <p>The Dockerfile is {@code integration-tests/src/test/docker/Dockerfile}; its entrypoint is
 * {@code java -jar /app/gossipnet-node.jar}. The image is built once per test JVM and tagged
 * {@code gossipnet-node:it-<hash>}, the hash taken over the node jar, the JDK, the Dockerfile and the
 * image's directories, so that test runs of different jars or layouts on one Docker daemon (two
 * worktrees, say) never swap images under each other;
 * Docker's layer cache makes a rebuild with unchanged inputs quick.
 */
public final class NodeImage {
  /** The repository of the built image; its tag is {@code it-} and a hash of the jar, the JDK and the layout. */
  public static final String REPOSITORY = "gossipnet-node";

  /** An empty directory of the image for a node's {@code --data-dir}. */
  public static final String DATA_DIR = "/data";

  /** The empty directories of the image (each holds a {@code .keep} file: a build context has no empty directories). */
  private static final List<String> EMPTY_DIRS = List.of("tmp", DATA_DIR.substring(1));

  /** Modules added to what {@code jdeps} finds: EC crypto (where still a module) and Unsafe users. */
  public static final Set<String> EXTRA_MODULES = Set.of("jdk.crypto.ec", "jdk.unsupported");

  /**
   * Modules left out although {@code jdeps} finds references to them. {@code java.desktop} is
   * referenced only by code the node never runs (Micrometer's Log4j/Logback binders use {@code
   * java.beans}, Jetty's leak preventers {@code java.awt} and {@code javax.imageio}); it would add
   * about 12 MB and native libraries that need X11's shared libraries.
   */
  public static final Set<String> EXCLUDED_MODULES = Set.of("java.desktop");

  private static final List<String> JLINK_OPTIONS =
      List.of("--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6");

  private static final Logger LOG = LoggerFactory.getLogger(NodeImage.class);
  private static final Pattern LDD_PATH = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x");
  private static final Pattern LDD_NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found");

  private static String built;

  private NodeImage() {}

  /**
   * Builds the image if this JVM has not built it yet, and returns its name.
   *
   * @return the image name, {@code gossipnet-node:it-<hash of the jar and the JDK>}
   */
  public static synchronized String name() {
    if (built == null) {
      long start = System.nanoTime();
      String name;
      try {
        name = build();
      } catch (IOException e) {
        throw new UncheckedIOException("could not build the node image", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while building the node image", e);
      }
      built = name;
      LOG.info("node image {} ready in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
    return built;
  }

  /**
   * The node jar the image is built with.
   *
   * @return the path of the node's shaded jar
   * @throws IllegalStateException if it has not been built
   */
  public static Path nodeJar() {
    Path jar =
        Paths.get(System.getProperty("gossipnet.node.jar", "../node/target/gossipnet-node.jar"))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the node jar "
              + jar
              + " does not exist; build it first (./mvnw -B -pl node -am package -DskipTests), or run the"
              + " whole reactor (./mvnw -B verify)");
    }
    return jar;
  }

  private static Path workDir() {
    return Paths.get(System.getProperty("gossipnet.it.work", "target/node-image")).toAbsolutePath().normalize();
  }

  private static String build() throws IOException, InterruptedException {
    Path jar = nodeJar();
    Path docker = dockerSources();
    String layout = sha256(docker.resolve("Dockerfile")) + " " + EMPTY_DIRS;
    String name = REPOSITORY + ":it-" + sha256(sha256(jar) + " " + Runtime.version() + " " + layout).substring(0, 16);
    Path work = workDir();
    Files.createDirectories(work);

    Set<String> modules = runtimeModules(jar);
    Path runtime = jlinkRuntime(work, modules);

    Path rootfs = work.resolve("rootfs");
    deleteRecursively(rootfs);
    Files.createDirectories(rootfs.resolve("etc"));
    for (String dir : EMPTY_DIRS) {
      Files.createDirectories(rootfs.resolve(dir));
      Files.writeString(rootfs.resolve(dir + "/.keep"), "");
    }
    Set<Path> libraries = sharedLibraries(runtime);
    for (Path lib : libraries) {
      Path target = rootfs.resolve(lib.toString().substring(1));
      Files.createDirectories(target.getParent());
      // Follows symbolic links: the image gets the library's content under the name ldd printed.
      Files.copy(lib, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }
    Files.copy(docker.resolve("nsswitch.conf"), rootfs.resolve("etc/nsswitch.conf"), StandardCopyOption.REPLACE_EXISTING);
    LOG.info("node image: runtime modules {}, shared libraries {}", modules, libraries);

    String id =
        new ImageFromDockerfile(name, false)
            .withFileFromPath("Dockerfile", docker.resolve("Dockerfile"))
            .withFileFromPath("rootfs", rootfs)
            .withFileFromPath("runtime", runtime)
            .withFileFromPath("app/gossipnet-node.jar", jar)
            .get();
    LOG.info("node image built: {} ({})", name, id);
    return name;
  }

  private static Path dockerSources() {
    Path docker = Paths.get(System.getProperty("gossipnet.it.docker", "src/test/docker")).toAbsolutePath();
    if (!Files.isRegularFile(docker.resolve("Dockerfile"))) {
      throw new IllegalStateException("no Dockerfile in " + docker + " (system property gossipnet.it.docker)");
    }
    return docker;
  }

  /**
   * The modules jdeps finds in the jar plus {@link #EXTRA_MODULES} that this JDK has, less {@link
   * #EXCLUDED_MODULES}.
   */
  static Set<String> runtimeModules(Path shadedJar) throws IOException {
    // jdeps takes seconds on a shaded jar: its answer is kept for the same jar on the same JDK.
    Path cache = workDir().resolve("modules.txt");
    String key =
        sha256(shadedJar) + " " + Runtime.version() + " " + new TreeSet<>(EXCLUDED_MODULES) + " " + new TreeSet<>(EXTRA_MODULES);
    if (Files.isRegularFile(cache)) {
      List<String> lines = Files.readAllLines(cache);
      if (lines.size() == 2 && lines.get(0).equals(key)) {
        return new TreeSet<>(Arrays.asList(lines.get(1).split(",")));
      }
    }
    Set<String> modules = jdepsModules(shadedJar);
    Files.write(cache, List.of(key, String.join(",", modules)));
    return modules;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> jdepsModules(Path shadedJar) throws IOException {
    // A shaded jar can carry a dependency's module-info.class (under META-INF/versions/9/, say);
    // jdeps would then take the whole jar for that one module and miss most of its references.
    Path jar = withoutModuleInfo(shadedJar);
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("jdeps is missing: the tests must run on a full JDK"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String release = String.valueOf(Runtime.version().feature());
    int code =
        jdeps.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "--print-module-deps",
            "--ignore-missing-deps",
            "--multi-release",
            release,
            jar.toString());
    String text = out.toString(StandardCharsets.UTF_8).strip();
    if (code != 0 || text.isEmpty()) {
      throw new IllegalStateException("jdeps failed (" + code + "): " + err.toString(StandardCharsets.UTF_8) + text);
    }
    Set<String> modules = new TreeSet<>(Arrays.asList(text.lines().reduce((a, b) -> b).orElseThrow().split(",")));
    modules.add("java.base");
    modules.removeAll(EXCLUDED_MODULES);
    for (String extra : EXTRA_MODULES) {
      if (ModuleFinder.ofSystem().find(extra).isPresent()) {
        modules.add(extra);
      }
    }
    return modules;
  }

  private static Path withoutModuleInfo(Path jar) throws IOException {
    Path copy = workDir().resolve("jdeps-input.jar");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (entry.getName().endsWith("module-info.class")) {
          continue;
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
    }
    return copy;
  }

  /** A jlinked runtime with the modules, reused when the modules, the JDK and the options match. */
  private static Path jlinkRuntime(Path work, Set<String> modules) throws IOException {
    Path runtime = work.resolve("runtime");
    Path keyFile = work.resolve("runtime.key");
    String key =
        String.join(",", modules)
            + "\n"
            + System.getProperty("java.home")
            + " "
            + Runtime.version()
            + "\n"
            + String.join(" ", JLINK_OPTIONS)
            + "\n";
    if (Files.isRegularFile(keyFile)
        && Files.readString(keyFile).equals(key)
        && Files.isExecutable(runtime.resolve("bin/java"))) {
      LOG.info("node image: reusing the jlinked runtime in {}", runtime);
      return runtime;
    }
    Files.deleteIfExists(keyFile);
    deleteRecursively(runtime);
    ToolProvider jlink =
        ToolProvider.findFirst("jlink")
            .orElseThrow(() -> new IllegalStateException("jlink is missing: the tests must run on a full JDK"));
    List<String> args = new ArrayList<>(JLINK_OPTIONS);
    args.addAll(List.of("--add-modules", String.join(",", modules), "--output", runtime.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int code =
        jlink.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            args.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("jlink " + args + " failed (" + code + "): " + out.toString(StandardCharsets.UTF_8));
    }
    Files.writeString(keyFile, key);
    LOG.info("node image: jlinked {} in {} ms", runtime, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return runtime;
  }

  /** The shared libraries outside the runtime that its executables and libraries load, per ldd. */
  private static Set<Path> sharedLibraries(Path runtime) throws IOException, InterruptedException {
    List<Path> elfFiles;
    try (Stream<Path> files = Files.walk(runtime)) {
      elfFiles = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(NodeImage::isElf).toList();
    }
    Set<String> runtimeNames = new TreeSet<>();
    elfFiles.forEach(p -> runtimeNames.add(p.getFileName().toString()));
    Set<Path> libraries = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    for (Path file : elfFiles) {
      Process ldd = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
      String output;
      try (InputStream in = ldd.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!ldd.waitFor(30, TimeUnit.SECONDS)) {
        ldd.destroyForcibly();
        throw new IllegalStateException("ldd " + file + " did not finish");
      }
      for (String line : output.lines().toList()) {
        Matcher notFound = LDD_NOT_FOUND.matcher(line);
        if (notFound.find()) {
          // Libraries of the runtime itself (libjvm.so beside libjava.so) are found at run time
          // through the runtime's own search path; anything else would be a real gap.
          if (!runtimeNames.contains(notFound.group(1))) {
            missing.add(notFound.group(1) + " (needed by " + runtime.relativize(file) + ")");
          }
          continue;
        }
        Matcher path = LDD_PATH.matcher(line);
        if (path.find()) {
          Path lib = Paths.get(path.group(1)).normalize();
          if (!lib.startsWith(runtime)) {
            libraries.add(lib);
          }
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("ldd cannot find shared libraries the runtime needs: " + missing);
    }
    if (libraries.stream().noneMatch(p -> p.getFileName().toString().startsWith("ld-linux"))) {
      throw new IllegalStateException("ldd named no dynamic loader for " + runtime + ": " + libraries);
    }
    return libraries;
  }

  private static boolean isElf(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
