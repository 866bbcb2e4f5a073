package dev.claudebackup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** There is no Docker engine here: the Dockerfile is read, instruction by instruction. */
class DockerfileTest {

  record Instruction(String keyword, String args) {}

  static List<Instruction> instructions;
  static List<String> dockerignore;

  @BeforeAll
  static void read() throws IOException {
    Path dir = KubernetesManifestsTest.projectDir();
    instructions = parse(Files.readAllLines(dir.resolve("Dockerfile")));
    dockerignore = Files.readAllLines(dir.resolve(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  /** Joins continuation lines, drops comments and blank lines. */
  static List<Instruction> parse(List<String> lines) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String t = line.strip();
      if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (!current.isEmpty() && t.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      String[] parts = current.toString().split("\\s+", 2);
      out.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
      current.setLength(0);
    }
    return out;
  }

  static List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  static Instruction last(String keyword) {
    List<Instruction> found = all(keyword);
    assertFalse(found.isEmpty(), "no " + keyword);
    return found.get(found.size() - 1);
  }

  static List<String> execForm(Instruction i) throws IOException {
    assertTrue(i.args().startsWith("["), i.keyword() + " in exec form (JSON), so signals reach java: " + i.args());
    return new ObjectMapper().readValue(i.args(), new TypeReference<>() {});
  }

  @Test
  void baseImageIsAJava17Jre() {
    List<Instruction> from = all("FROM");
    assertEquals(1, from.size(), "one stage: the jar is built beforehand");
    assertTrue(from.get(0).args().matches("eclipse-temurin:17(\\.[\\w.]+)?-jre.*"), from.get(0).args());
  }

  @Test
  void runsAsTheFixedNonRootUserOfTheCronJob() throws IOException {
    String user = last("USER").args();
    assertTrue(user.matches("\\d+(:\\d+)?"), "numeric USER, so Kubernetes can check runAsNonRoot: " + user);
    String[] ids = user.split(":");
    assertFalse(ids[0].equals("0"), "not root");

    CronJob cronJob = KubernetesManifestsTest.read("cronjob.yaml", CronJob.class);
    PodSecurityContext pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getSecurityContext();
    assertEquals(Long.parseLong(ids[0]), pod.getRunAsUser(), "runAsUser = the image's USER");
    if (ids.length > 1) {
      assertEquals(Long.parseLong(ids[1]), pod.getRunAsGroup(), "runAsGroup = the image's group");
      assertEquals(Long.parseLong(ids[1]), pod.getFsGroup(), "fsGroup = the image's group");
    }
    // the user exists in the image
    assertTrue(all("RUN").stream().anyMatch(r -> r.args().contains("useradd") && r.args().contains("--uid " + ids[0])));
  }

  @Test
  void jarAndRoutesLiveInApp() throws IOException {
    assertEquals("/app", last("WORKDIR").args());
    assertTrue(all("COPY").stream().anyMatch(c -> c.args().matches("(--\\S+\\s+)*target/claude-backup\\.jar\\s+/app/claude-backup\\.jar")),
        "COPY target/claude-backup.jar /app/claude-backup.jar");
    // The shipped routes are inside the jar; /app/routes holds only extra ones. A copy of the shipped
    // routes there would load every route twice (same ids) and Camel would refuse to start.
    assertTrue(all("COPY").stream().noneMatch(c -> c.args().matches("(--\\S+\\s+)*routes/?\\s+/app/routes/?")),
        "no COPY routes/ /app/routes/");
    assertTrue(all("RUN").stream().anyMatch(r -> r.args().contains("/app/routes")), "/app/routes is created for extra routes");

    // The launcher beside the jar runs it with the lean JVM options; it execs java, so java gets the signals.
    assertTrue(all("COPY").stream().anyMatch(c -> c.args().matches("(--\\S+\\s+)*bin/claude-backup\\s+/app/claude-backup")),
        "COPY bin/claude-backup /app/claude-backup");
    List<String> entrypoint = execForm(last("ENTRYPOINT"));
    assertEquals(List.of("/app/claude-backup", "--routes", "/app/routes"), entrypoint);
  }

  @Test
  void theClassArchiveIsMadeInTheImageAndUsedByEveryRun() {
    // Made while /app is still root's (before USER): at run time the root filesystem may be read-only.
    String archive = all("ENV").stream().map(Instruction::args).filter(a -> a.startsWith("CLAUDE_BACKUP_CDS="))
        .map(a -> a.substring("CLAUDE_BACKUP_CDS=".length())).findFirst()
        .orElseThrow(() -> new AssertionError("ENV CLAUDE_BACKUP_CDS=/app/..."));
    assertTrue(archive.startsWith("/app/"), archive);
    int made = -1;
    for (int i = 0; i < instructions.size(); i++) {
      Instruction instruction = instructions.get(i);
      if (instruction.keyword().equals("RUN") && instruction.args().contains("/app/claude-backup ")
          && instruction.args().contains("test -s " + archive)) {
        made = i;
      }
    }
    assertTrue(made > 0, "a RUN of the launcher makes " + archive + " and checks it is there");
    int copied = instructions.indexOf(all("COPY").stream().filter(c -> c.args().contains("claude-backup.jar")).findFirst().orElseThrow());
    assertTrue(copied < made, "made after the jar is in place (the archive belongs to that jar)");
    assertTrue(made < instructions.indexOf(last("USER")), "made before USER, while /app is writable");
  }

  @Test
  void backupsGoToAVolumeAtDataOwnedByTheUser() throws IOException {
    assertEquals(List.of("/data"), execForm(last("CMD")));
    assertTrue(last("VOLUME").args().contains("/data"));
    String uid = last("USER").args().split(":")[0];
    int volumeAt = instructions.indexOf(last("VOLUME"));
    boolean chownedBefore = instructions.subList(0, volumeAt).stream()
        .anyMatch(i -> i.keyword().equals("RUN") && i.args().matches(".*chown\\s+" + uid + "(:\\d+)?\\s+/data\\b.*"));
    assertTrue(chownedBefore, "/data is chowned to " + uid + " before VOLUME (changes after it are lost)");
  }

  @Test
  void heapFollowsTheContainerMemory() {
    assertTrue(all("ENV").stream().anyMatch(e -> e.args().contains("-XX:MaxRAMPercentage=")), "MaxRAMPercentage");
  }

  @Test
  void dockerignoreKeepsTheContextToTheJar() {
    assertEquals("*", dockerignore.get(0), "everything is ignored first");
    assertTrue(dockerignore.contains("!target/claude-backup.jar"));
    // every file the Dockerfile copies is let back in
    for (Instruction copy : all("COPY")) {
      String[] words = copy.args().replaceAll("--\\S+\\s+", "").split("\\s+");
      String source = words[0].replaceAll("/$", "");
      assertTrue(dockerignore.contains("!" + source) || dockerignore.contains("!" + source + "/"),
          source + " is in the build context");
    }
  }
}
