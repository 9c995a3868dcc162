package org.cemiface.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be checked of deploy/docker/Dockerfile without a container daemon: every file it copies
 * exists (or, for the shaded jars, is the file `mvn package` writes), its versions are the build's,
 * DJL ships a JNI library for its CUDA flavour, it does not run as root, and its entrypoint runs
 * the CLI's {@code --help} with the image's environment and hands Spark's pod commands to Spark.
 */
class DockerfileTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  @Test
  void everyCopiedPathIsThereOrIsWhatThePackageBuildWrites() throws IOException {
    String version = pomProperty(ROOT.resolve("pom.xml"), "version");
    int copies = 0;
    for (List<String> copy : instructions("COPY")) {
      if (copy.get(0).startsWith("--from=")) {
        continue;
      }
      for (String source : copy.subList(0, copy.size() - 1)) {
        Matcher shaded = Pattern.compile("([a-z-]+)/target/(.+)\\.jar").matcher(source);
        if (shaded.matches()) {
          String module = shaded.group(1);
          String classifier =
              pomProperty(ROOT.resolve(module).resolve("pom.xml"), "shadedClassifierName");
          assertEquals(
              module + "-" + version + "-" + classifier,
              shaded.group(2),
              "the Dockerfile copies the jar the shade plugin writes");
        } else {
          assertTrue(Files.exists(ROOT.resolve(source)), source + " exists");
        }
        copies++;
      }
    }
    assertTrue(copies >= 5, "the Dockerfile copies the two jars, conf, deploy, pom: " + copies);
  }

  /** The deploy files that run this image (they name it) find every /opt path they use in it. */
  @Test
  void everyImagePathTheDeployFilesUseIsInTheImage() throws IOException {
    List<String> image = new ArrayList<>();
    String version = pomProperty(ROOT.resolve("pom.xml"), "version");
    for (List<String> copy : instructions("COPY")) {
      boolean fromStage = copy.get(0).startsWith("--from=");
      List<String> sources = copy.subList(fromStage ? 1 : 0, copy.size() - 1);
      String target = copy.get(copy.size() - 1);
      for (String source : sources) {
        if (fromStage || !Files.isDirectory(ROOT.resolve(source))) {
          image.add(target.endsWith("/") ? target + Path.of(source).getFileName() : target);
        } else {
          try (Stream<Path> files = Files.walk(ROOT.resolve(source))) {
            files.forEach(f -> image.add(target + "/" + ROOT.resolve(source).relativize(f)));
          }
        }
      }
    }
    assertTrue(
        image.contains("/opt/cemiface/spark-jobs-" + version + "-spark.jar"), image.toString());
    Pattern used = Pattern.compile("/opt/(?:cemiface|spark|libtorch)[^\\s\"':,]*");
    List<String> missing = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(ROOT.resolve("deploy"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        if (!text.contains("registry.example.com/cemiface:")
            || f.startsWith(ROOT.resolve("deploy/docker"))) {
          continue;
        }
        Matcher m = used.matcher(text);
        while (m.find()) {
          checked++;
          String path = m.group();
          boolean inImage =
              image.stream()
                  .anyMatch(
                      p -> p.equals(path) || p.startsWith(path + "/") || path.startsWith(p + "/"));
          if (!inImage) {
            missing.add(ROOT.relativize(f) + ": " + path);
          }
        }
      }
    }
    assertEquals(List.of(), missing, "paths the deploy files expect in the image");
    assertTrue(checked >= 3, "kubernetes.sh and the two schedules run the image: " + checked);
  }

  @Test
  void versionsAreTheBuildsAndDjlHasAJniLibraryForTheFlavour() throws IOException {
    Path pom = ROOT.resolve("pom.xml");
    Map<String, String> env = env();
    Map<String, String> args = new LinkedHashMap<>();
    for (List<String> arg : instructions("ARG")) {
      String[] kv = arg.get(0).split("=", 2);
      args.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    assertEquals(pomProperty(pom, "spark.version"), args.get("SPARK_VERSION"));
    String torch = pomProperty(pom, "pytorch.version");
    assertEquals(torch, env.get("PYTORCH_VERSION"));
    String flavor = env.get("PYTORCH_FLAVOR");
    assertTrue(
        args.get("LIBTORCH_URL").contains("/" + flavor + "/")
            && args.get("LIBTORCH_URL").contains(torch + "%2B" + flavor),
        "libtorch " + torch + " for " + flavor + ": " + args.get("LIBTORCH_URL"));
    assertNotNull(
        getClass()
            .getClassLoader()
            .getResource("jnilib/linux-x86_64/" + flavor + "/libdjl_torch.so"),
        "DJL's pytorch-jni on the classpath has no JNI library for " + flavor);
    assertEquals("true", env.get("DJL_OFFLINE"));
    List<List<String>> users = instructions("USER");
    assertFalse(users.isEmpty(), "the image names its user");
    String user = users.get(users.size() - 1).get(0);
    assertFalse(user.equals("0") || user.equals("root"), "runs as " + user);
  }

  @Test
  void theEntrypointRunsTheCliWithTheImagesEnvironmentAndPassesPodsToSpark() throws Exception {
    // The image's layout rebuilt from this build: the project's classes as jars in its home, every
    // other jar of the classpath in Spark's jars/, a stand-in for Spark's own entrypoint.
    Path home = Files.createDirectories(dir.resolve("cemiface"));
    Path spark = Files.createDirectories(dir.resolve("spark"));
    Files.createDirectories(spark.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Files.copy(ROOT.resolve("conf/log4j2.properties"), home.resolve("conf/log4j2.properties"));
    Files.copy(ROOT.resolve("pom.xml"), home.resolve("pom.xml"));
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        jar(p, home.resolve(String.format("%03d.jar", n++)));
      } else if (entry.endsWith(".jar")) {
        Files.createSymbolicLink(
            spark.resolve("jars").resolve(String.format("%03d-%s", n++, p.getFileName())), p);
      }
    }
    Path sparkEntrypoint = spark.resolve("kubernetes/dockerfiles/spark/entrypoint.sh");
    Files.createDirectories(sparkEntrypoint.getParent());
    Files.writeString(sparkEntrypoint, "#!/bin/sh\necho \"spark entrypoint: $*\"\n");
    sparkEntrypoint.toFile().setExecutable(true);

    Map<String, String> env = env();
    env.put("CEMIFACE_HOME", home.toString());
    env.put("SPARK_HOME", spark.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("CEMIFACE_HEAP", "1g");

    Files.copy(ROOT.resolve("deploy/docker/entrypoint.sh"), home.resolve("entrypoint.sh"));
    Result help = entrypoint(env, "--help");
    assertEquals(0, help.code, help.output);
    assertTrue(
        help.output.contains("Usage: bin/cemiface <command>")
            && help.output.contains("generate")
            && help.output.contains("train-encoder"),
        "the CLI's commands from the image's classpath:\n" + help.output);
    Result pod = entrypoint(env, "executor", "--cores", "4");
    assertEquals(0, pod.code, pod.output);
    assertEquals("spark entrypoint: executor --cores 4", pod.output.strip());
  }

  private record Result(int code, String output) {}

  private static Result entrypoint(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", ROOT.resolve("deploy/docker/entrypoint.sh").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the entrypoint finished");
    return new Result(p.exitValue(), output);
  }

  /** The Dockerfile's instructions of one kind, continuation lines joined, split into words. */
  private static List<List<String>> instructions(String kind) throws IOException {
    String text =
        Files.readString(ROOT.resolve("deploy/docker/Dockerfile")).replaceAll("\\\\\\n", " ");
    List<List<String>> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (t.startsWith(kind + " ")) {
        out.add(List.of(t.substring(kind.length()).strip().split("\\s+")));
      }
    }
    return out;
  }

  /** The ENV instructions as a map. */
  private static Map<String, String> env() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (List<String> e : instructions("ENV")) {
      for (String kv : e) {
        String[] parts = kv.split("=", 2);
        env.put(parts[0], parts[1]);
      }
    }
    return env;
  }

  /**
   * The first {@code <name>} element's text in a pom (a property, the version, a plugin setting).
   */
  private static String pomProperty(Path pom, String name) throws IOException {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(Files.readString(pom));
    assertTrue(m.find(), pom + " has <" + name + ">");
    return m.group(1).strip();
  }

  private static void jar(Path classes, Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, jar);
        jar.closeEntry();
      }
    }
  }
}
