package io.gossipnet.testcontainers;

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
import org.testcontainers.utility.DockerImageName;

/**
 * The image a {@link GossipnetContainer} runs: built here {@code FROM scratch} from an executable
 * jar ({@link #node()}, {@link #fromJar}), or a user's own image ({@link #of}).
 *
 * <p>Whatever its origin, the image's entrypoint must take the options of {@code gossipnet run}
 * (the container passes {@code run --transport ... --listen ... --genesis ... --peer ...}) and
 * print the node's {@code {"event":"listening",...}} line on stdout once it listens: the stock node
 * jar does, and so does an application whose main is {@code GossipnetCli.run(args, appModules)}
 * (module {@code gossipnet-node}).
 *
 * <p>An image built from a jar needs no registry and nothing pulled. Its build context is
 * assembled in a work directory ({@code target/gossipnet-image/<jar name>}, or the system property
 * {@value #WORK_DIR_PROPERTY}):
 *
 * <ol>
 *   <li>a Java runtime made with {@code jlink} from the JDK that runs the tests, holding the modules
 *       {@code jdeps --print-module-deps --ignore-missing-deps} finds in the jar plus {@link
 *       #EXTRA_MODULES}, less {@link #EXCLUDED_MODULES}; it is kept in the work directory and
 *       made again only when the module list or the JDK changes;
 *   <li>the shared libraries that runtime needs, found with {@code ldd} and copied to the same paths
 *       in the image (the dynamic loader among them), an {@code /etc/nsswitch.conf}, an empty
 *       {@code /tmp} and an empty {@value #DATA_DIR} (for {@code --data-dir});
 *   <li>the jar, as {@code /app/app.jar}; the entrypoint is {@code java -jar /app/app.jar}.
 * </ol>
 *
 * <p>So the tests must run on a full JDK (with {@code jlink} and {@code jdeps}) on Linux, with
 * {@code ldd}, on the Docker daemon's CPU architecture: the image holds this machine's runtime and
 * libraries. Elsewhere (macOS, Windows), build an image of your own ({@code FROM
 * eclipse-temurin:21-jre}, say, with the jar as entrypoint) and use {@link #of}.
 *
 * <p>The image is built once per JVM and jar, and tagged {@code gossipnet-node:it-<hash>} (the hash
 * over the jar, the JDK and the layout), so test runs of different jars on one Docker daemon never
 * swap images under each other; Docker's layer cache makes a rebuild with unchanged inputs quick.
 */
public final class GossipnetImage {
  /** The repository of a built image; its tag is {@code it-} and a hash of the jar, the JDK and the layout. */
  public static final String REPOSITORY = "gossipnet-node";

  /** An empty directory of a built image, for a node's {@code --data-dir}. */
  public static final String DATA_DIR = "/data";

  /** The system property naming the stock node's shaded jar for {@link #node()}. */
  public static final String NODE_JAR_PROPERTY = "gossipnet.node.jar";

  /** The environment variable naming the stock node's shaded jar, when the system property is not set. */
  public static final String NODE_JAR_ENV = "GOSSIPNET_NODE_JAR";

  /** The system property naming the directory where images are assembled. */
  public static final String WORK_DIR_PROPERTY = "gossipnet.image.work";

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
      List.of("--strip-debug", "--no-header-files", "--no-man-pages", "--generate-cds-archive");

  private static final Logger LOG = LoggerFactory.getLogger(GossipnetImage.class);
  private static final Pattern LDD_PATH = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x");
  private static final Pattern LDD_NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found");

  private final Path jar;
  private final String prebuilt;
  private String built;

  private GossipnetImage(Path jar, String prebuilt) {
    this.jar = jar;
    this.prebuilt = prebuilt;
  }

  /**
   * The stock node ({@code gossipnet-node}'s shaded jar), built from scratch. The jar is named by
   * the system property {@value #NODE_JAR_PROPERTY} or the environment variable {@value
   * #NODE_JAR_ENV}: {@code node/target/gossipnet-node.jar} of a gossipnet source tree. (The
   * published {@code gossipnet-node} artifact is the thin jar; an application shades its own and
   * uses {@link #fromJar}.)
   *
   * @return the image (built on first use)
   * @throws IllegalStateException if neither names a jar that exists
   */
  public static GossipnetImage node() {
    String named = System.getProperty(NODE_JAR_PROPERTY);
    String source = "system property " + NODE_JAR_PROPERTY;
    if (named == null || named.isBlank()) {
      named = System.getenv(NODE_JAR_ENV);
      source = "environment variable " + NODE_JAR_ENV;
    }
    if (named == null || named.isBlank()) {
      throw new IllegalStateException(
          "which node jar? Set the system property " + NODE_JAR_PROPERTY + " or the environment variable " + NODE_JAR_ENV
              + " to gossipnet-node's shaded jar (node/target/gossipnet-node.jar in the gossipnet tree), use"
              + " GossipnetImage.fromJar(your application's executable jar), or GossipnetImage.of(an image of your own)");
    }
    Path path = Paths.get(named).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("the node jar " + path + " (" + source + ") does not exist; build it first"
          + " (in the gossipnet tree: ./mvnw -B -pl node -am package -DskipTests)");
    }
    return new GossipnetImage(path, null);
  }

  /**
   * An image built from scratch around an executable jar: the stock node's, or an application's
   * whose main takes {@code gossipnet run}'s options ({@code GossipnetCli.run(args, modules)}).
   *
   * @param executableJar a jar with a {@code Main-Class} and all its dependencies (shaded)
   * @return the image (built on first use)
   * @throws IllegalArgumentException if the jar does not exist
   */
  public static GossipnetImage fromJar(Path executableJar) {
    Path path = executableJar.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("no jar at " + path + "; build it first (mvn package)");
    }
    return new GossipnetImage(path, null);
  }

  /**
   * An image of the user's own, used as it is (nothing is built; Testcontainers pulls it if the
   * daemon lacks it). Its entrypoint must take {@code gossipnet run}'s options and print the
   * listening line; for P2P and hybrid nodes that keep their key in a data directory, {@value
   * #DATA_DIR} must exist and be writable.
   *
   * @param imageName for example {@code registry.example.com/my-node:1.2}
   * @return the image
   */
  public static GossipnetImage of(String imageName) {
    return new GossipnetImage(null, DockerImageName.parse(imageName).asCanonicalNameString());
  }

  /**
   * Builds the image if this object has not built it yet, and returns its name.
   *
   * @return the image name ({@code gossipnet-node:it-<hash>} for a built one)
   */
  public synchronized String name() {
    if (prebuilt != null) {
      return prebuilt;
    }
    if (built == null) {
      built = BUILT.computeIfAbsent(jar, GossipnetImage::buildLogged);
    }
    return built;
  }

  /**
   * The jar the image is built from.
   *
   * @return its path, or empty for an image of the user's own
   */
  public java.util.Optional<Path> jar() {
    return java.util.Optional.ofNullable(jar);
  }

  @Override
  public String toString() {
    return prebuilt != null ? prebuilt : "image of " + jar;
  }

  /** Images built by this JVM, by jar. */
  private static final java.util.concurrent.ConcurrentHashMap<Path, String> BUILT = new java.util.concurrent.ConcurrentHashMap<>();

  private static String buildLogged(Path jar) {
    long start = System.nanoTime();
    try {
      String name = build(jar);
      LOG.info("image {} of {} ready in {} ms", name, jar.getFileName(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException("could not build the image of " + jar, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the image of " + jar, e);
    }
  }

  private static Path workDir(Path jar) {
    String name = jar.getFileName().toString().replaceAll("\\.jar$", "");
    return Paths.get(System.getProperty(WORK_DIR_PROPERTY, "target/gossipnet-image")).toAbsolutePath().normalize().resolve(name);
  }

  private static String build(Path jar) throws IOException, InterruptedException {
    DockerCheck.require();
    Path work = workDir(jar);
    Files.createDirectories(work);
    Path docker = work.resolve("docker");
    Files.createDirectories(docker);
    for (String resource : List.of("Dockerfile", "nsswitch.conf")) {
      try (InputStream in = GossipnetImage.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("gossipnet-testcontainers lacks its resource " + resource);
        }
        Files.copy(in, docker.resolve(resource), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    String layout = sha256(docker.resolve("Dockerfile")) + " " + EMPTY_DIRS;
    String name = REPOSITORY + ":it-" + sha256(sha256(jar) + " " + Runtime.version() + " " + layout).substring(0, 16);

    Set<String> modules = runtimeModules(work, jar);
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
    LOG.info("image of {}: runtime modules {}, shared libraries {}", jar.getFileName(), modules, libraries);

    String id =
        new ImageFromDockerfile(name, false)
            .withFileFromPath("Dockerfile", docker.resolve("Dockerfile"))
            .withFileFromPath("rootfs", rootfs)
            .withFileFromPath("runtime", runtime)
            .withFileFromPath("app/app.jar", jar)
            .get();
    LOG.info("image built: {} ({})", name, id);
    return name;
  }

  /**
   * The modules jdeps finds in the jar plus {@link #EXTRA_MODULES} that this JDK has, less {@link
   * #EXCLUDED_MODULES}.
   */
  static Set<String> runtimeModules(Path work, Path shadedJar) throws IOException {
    // jdeps takes seconds on a shaded jar: its answer is kept for the same jar on the same JDK.
    Path cache = work.resolve("modules.txt");
    String key =
        sha256(shadedJar) + " " + Runtime.version() + " " + new TreeSet<>(EXCLUDED_MODULES) + " " + new TreeSet<>(EXTRA_MODULES);
    if (Files.isRegularFile(cache)) {
      List<String> lines = Files.readAllLines(cache);
      if (lines.size() == 2 && lines.get(0).equals(key)) {
        return new TreeSet<>(Arrays.asList(lines.get(1).split(",")));
      }
    }
    Set<String> modules = jdepsModules(work, shadedJar);
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

  private static Set<String> jdepsModules(Path work, Path shadedJar) throws IOException {
    // A shaded jar can carry a dependency's module-info.class (under META-INF/versions/9/, say);
    // jdeps would then take the whole jar for that one module and miss most of its references.
    Path jar = withoutModuleInfo(work, shadedJar);
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

  private static Path withoutModuleInfo(Path work, Path jar) throws IOException {
    Path copy = work.resolve("jdeps-input.jar");
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
      elfFiles = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(GossipnetImage::isElf).toList();
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
