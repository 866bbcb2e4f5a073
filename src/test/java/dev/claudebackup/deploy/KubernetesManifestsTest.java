package dev.claudebackup.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads deploy/kubernetes/*.yaml into the fabric8 Kubernetes model and checks what the
 * CronJob must do. There is no cluster here, so this is what stands in for
 * {@code kubectl apply --dry-run=server}: a field Kubernetes would reject or ignore
 * (a typo) lands in a model object's additionalProperties, and {@link #unknownKeys} finds it.
 */
class KubernetesManifestsTest {

  /**
   * Jackson's YAML reads 0400 as octal (YAML 1.1), as Kubernetes does. A key given twice is an
   * error, not "the last one wins".
   */
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  static final Path DIR = projectDir().resolve("deploy/kubernetes");

  static CronJob cronJob;
  static PersistentVolumeClaim pvc;
  static Secret secret;
  static ConfigMap routes;
  static Map<String, Object> kustomization;

  static Path projectDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  @BeforeAll
  static void read() throws IOException {
    cronJob = read("cronjob.yaml", CronJob.class);
    pvc = read("pvc.yaml", PersistentVolumeClaim.class);
    secret = read("secret.example.yaml", Secret.class);
    routes = read("routes-configmap.yaml", ConfigMap.class);
    kustomization = YAML.readValue(DIR.resolve("kustomization.yaml").toFile(), new TypeReference<>() {});
  }

  static <T> T read(String file, Class<T> type) throws IOException {
    return YAML.readValue(DIR.resolve(file).toFile(), type);
  }

  // ---------------------------------------------------------------- no typos anywhere

  @Test
  void noManifestHasUnknownFields() {
    assertAll(
        () -> assertEquals(List.of(), unknownKeys(cronJob, "cronjob.yaml"), "unknown keys"),
        () -> assertEquals(List.of(), unknownKeys(pvc, "pvc.yaml"), "unknown keys"),
        () -> assertEquals(List.of(), unknownKeys(secret, "secret.example.yaml"), "unknown keys"),
        () -> assertEquals(List.of(), unknownKeys(routes, "routes-configmap.yaml"), "unknown keys"));
  }

  @Test
  void unknownKeysFindsTyposAtAnyDepth() throws IOException {
    String typos = String.join("\n",
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: {name: x}",
        "spec:",
        "  schedule: '@hourly'",
        "  concurencyPolicy: Forbid",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          containers:",
        "            - name: a",
        "            - name: b",
        "              securityContext: {runAsNonroot: true}",
        "              resources: {limits: {memory: 1Gi}}",
        "");
    CronJob parsed = YAML.readValue(typos, CronJob.class);
    assertNull(parsed.getSpec().getConcurrencyPolicy(), "the typo did not set the real field");
    assertEquals(
        List.of(
            "x.spec.concurencyPolicy",
            "x.spec.jobTemplate.spec.template.spec.containers[1].securityContext.runAsNonroot"),
        unknownKeys(parsed, "x"));
    assertEquals(List.of(), unknownKeys(YAML.readValue(typos.replace("concurencyPolicy", "concurrencyPolicy")
        .replace("runAsNonroot", "runAsNonRoot"), CronJob.class), "x"));
  }

  /**
   * Every key that fabric8 did not know, as a path from {@code root}. Walks the getters of
   * every fabric8 model object reachable from {@code node}, through lists and maps too.
   */
  static List<String> unknownKeys(Object node, String root) {
    List<String> found = new ArrayList<>();
    walk(node, root, found, Collections.newSetFromMap(new IdentityHashMap<>()));
    return found;
  }

  private static void walk(Object node, String path, List<String> found, Set<Object> seen) {
    if (node == null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> walk(value, path + "." + key, found, seen));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.") || !seen.add(node)) {
      return;
    }
    Method[] getters = Stream.of(node.getClass().getMethods())
        .filter(m -> m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getDeclaringClass() != Object.class)
        .filter(m -> m.getName().matches("(get|is)[A-Z].*"))
        .sorted(Comparator.comparing(Method::getName))
        .toArray(Method[]::new);
    boolean hasAdditional = false;
    for (Method getter : getters) {
      Object value;
      try {
        value = getter.invoke(node);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError(path + ": " + getter.getName() + "() failed", e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        hasAdditional = true;
        if (value instanceof Map<?, ?> extra) {
          extra.keySet().forEach(key -> found.add(path + "." + key));
        }
      } else {
        String name = getter.getName().replaceFirst("^(get|is)", "");
        walk(value, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), found, seen);
      }
    }
    if (!hasAdditional && node instanceof io.fabric8.kubernetes.api.model.KubernetesResource) {
      fail(path + ": " + node.getClass().getName() + " has no getAdditionalProperties(); the check is blind there");
    }
  }

  // ---------------------------------------------------------------- the CronJob

  static CronJobSpec cronSpec() {
    return cronJob.getSpec();
  }

  static JobSpec jobSpec() {
    return cronJob.getSpec().getJobTemplate().getSpec();
  }

  static PodSpec podSpec() {
    return jobSpec().getTemplate().getSpec();
  }

  static Container container() {
    List<Container> containers = podSpec().getContainers();
    assertEquals(1, containers.size(), "one container");
    return containers.get(0);
  }

  static Volume volume(String name) {
    return podSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  static VolumeMount mountAt(String mountPath) {
    return container().getVolumeMounts().stream().filter(m -> m.getMountPath().equals(mountPath)).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
  }

  @Test
  void cronJobSchedulesOneRunAtATime() {
    assertEquals("batch/v1", cronJob.getApiVersion());
    assertEquals("CronJob", cronJob.getKind());
    CronJobSpec spec = cronSpec();
    assertNotNull(spec.getSchedule());
    assertEquals(5, spec.getSchedule().trim().split("\\s+").length, "a five-field cron schedule");
    assertEquals("Forbid", spec.getConcurrencyPolicy());
    assertNotNull(spec.getStartingDeadlineSeconds(), "startingDeadlineSeconds");
    assertTrue(spec.getStartingDeadlineSeconds() >= 10, "the CronJob controller checks every 10 s");
    assertNotNull(spec.getSuccessfulJobsHistoryLimit(), "successfulJobsHistoryLimit");
    assertNotNull(spec.getFailedJobsHistoryLimit(), "failedJobsHistoryLimit");
    assertFalse(spec.getSuspend() != null && spec.getSuspend(), "not suspended");
  }

  @Test
  void jobDoesNotHammerClaudeAi() {
    JobSpec job = jobSpec();
    assertNotNull(job.getBackoffLimit(), "backoffLimit");
    assertTrue(job.getBackoffLimit() >= 0 && job.getBackoffLimit() <= 2, "backoffLimit is small");
    assertNotNull(job.getActiveDeadlineSeconds(), "a stuck run is ended");
    assertEquals("Never", podSpec().getRestartPolicy());
    // exit 2 (bad usage/config) and 3 (key refused / Cloudflare) fail the Job without a retry
    List<PodFailurePolicyRule> rules = job.getPodFailurePolicy().getRules();
    PodFailurePolicyRule failJob = rules.stream()
        .filter(r -> "FailJob".equals(r.getAction()) && r.getOnExitCodes() != null).findFirst()
        .orElseThrow(() -> new AssertionError("a FailJob rule on exit codes"));
    assertEquals("In", failJob.getOnExitCodes().getOperator());
    assertTrue(failJob.getOnExitCodes().getValues().containsAll(List.of(2, 3)), "exit 2 and 3 fail the Job");
    assertFalse(failJob.getOnExitCodes().getValues().contains(0));
    assertEquals(container().getName(), failJob.getOnExitCodes().getContainerName());
  }

  @Test
  void podRunsAsFixedNonRootUserWithFsGroup() {
    PodSecurityContext pod = podSpec().getSecurityContext();
    assertEquals(Boolean.TRUE, pod.getRunAsNonRoot());
    assertNotNull(pod.getRunAsUser(), "runAsUser");
    assertTrue(pod.getRunAsUser() > 0, "runAsUser is not root");
    assertNotNull(pod.getRunAsGroup(), "runAsGroup");
    assertTrue(pod.getRunAsGroup() > 0, "runAsGroup is not root");
    assertNotNull(pod.getFsGroup(), "fsGroup: the tool writes 0600 files and 0700 folders");
    assertEquals(Boolean.FALSE, podSpec().getAutomountServiceAccountToken());

    SecurityContext c = container().getSecurityContext();
    assertEquals(Boolean.FALSE, c.getAllowPrivilegeEscalation());
    assertEquals(Boolean.TRUE, c.getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), c.getCapabilities().getDrop());
    assertTrue(c.getCapabilities().getAdd() == null || c.getCapabilities().getAdd().isEmpty(), "no capability added");
    assertNotEquals(Boolean.TRUE, c.getPrivileged());
    assertNull(c.getRunAsUser(), "the user is set once, on the pod");
  }

  @Test
  void readOnlyRootFilesystemHasWritableTmp() {
    assertNotNull(volume(mountAt("/tmp").getName()).getEmptyDir(), "/tmp is an emptyDir");
    assertNotEquals(Boolean.TRUE, mountAt("/tmp").getReadOnly());
  }

  @Test
  void resourcesFitTheJvm() {
    ResourceRequirements r = container().getResources();
    // resource names are map keys, which the unknown-field walk cannot judge
    assertTrue(Set.of("cpu", "memory", "ephemeral-storage").containsAll(r.getRequests().keySet()), "requests");
    assertTrue(Set.of("cpu", "memory", "ephemeral-storage").containsAll(r.getLimits().keySet()), "limits");
    for (String kind : List.of("cpu", "memory")) {
      assertNotNull(r.getRequests().get(kind), "requests." + kind);
      assertNotNull(r.getLimits().get(kind), "limits." + kind);
      assertTrue(bytes(r.getRequests().get(kind)).compareTo(bytes(r.getLimits().get(kind))) <= 0,
          kind + ": request <= limit");
    }
    long memoryLimit = bytes(r.getLimits().get("memory")).longValueExact();
    assertTrue(memoryLimit >= 512L * 1024 * 1024, "at least 512Mi for a Camel JVM");

    String javaOptions = container().getEnv().stream()
        .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).map(EnvVar::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("JAVA_TOOL_OPTIONS"));
    var percent = java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)").matcher(javaOptions);
    assertTrue(percent.find(), "heap sized from the memory limit: " + javaOptions);
    double share = Double.parseDouble(percent.group(1));
    assertTrue(share >= 50 && share <= 80, "leave room for metaspace, threads and native memory: " + share);
  }

  static java.math.BigDecimal bytes(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }

  @Test
  void sessionKeyIsASecretFileAndTheArgPointsIntoIt() {
    List<String> args = container().getArgs();
    int at = args.indexOf("--session-key-file");
    assertTrue(at >= 0 && at + 1 < args.size(), "--session-key-file PATH in " + args);
    Path keyFile = Path.of(args.get(at + 1));

    VolumeMount mount = container().getVolumeMounts().stream()
        .filter(m -> keyFile.startsWith(m.getMountPath())).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted above " + keyFile));
    assertEquals(Boolean.TRUE, mount.getReadOnly(), "the key is mounted read-only");
    var source = volume(mount.getName()).getSecret();
    assertNotNull(source, keyFile + " comes from a Secret");
    assertEquals(secret.getMetadata().getName(), source.getSecretName(), "the Secret of secret.example.yaml");
    assertEquals(0400, source.getDefaultMode(), "defaultMode 0400");
    assertNotEquals(Boolean.TRUE, source.getOptional());

    // the file inside the mount is the Secret's key (through items, or the key itself)
    String fileInMount = Path.of(mount.getMountPath()).relativize(keyFile).toString();
    String key = source.getItems() == null || source.getItems().isEmpty()
        ? fileInMount
        : source.getItems().stream().filter(i -> i.getPath().equals(fileInMount)).findFirst()
            .orElseThrow(() -> new AssertionError("no item with path " + fileInMount)).getKey();
    assertTrue(secret.getStringData().containsKey(key), "secret.example.yaml has the key " + key);
  }

  @Test
  void exampleSecretHoldsOnlyAnObviousPlaceholder() {
    assertEquals("Opaque", secret.getType());
    assertTrue(secret.getData() == null || secret.getData().isEmpty(), "no base64 data: nothing hidden");
    secret.getStringData().values().forEach(v -> assertTrue(v.startsWith("REPLACE-WITH-"), "placeholder: " + v));
  }

  @Test
  void theImagesLauncherRuns() {
    // a command: would replace the image's ENTRYPOINT, its launcher, and with it the lean JVM options
    assertTrue(container().getCommand() == null || container().getCommand().isEmpty(), "no command: " + container().getCommand());
  }

  @Test
  void backupsGoToThePvcAtData() {
    List<String> args = container().getArgs();
    assertEquals("/data", args.get(args.size() - 1), "BACKUP_DIR is the last argument");
    assertFalse(args.contains("--schedule"), "the CronJob schedules, the tool runs once");
    var claim = volume(mountAt("/data").getName()).getPersistentVolumeClaim();
    assertNotNull(claim, "/data is a PersistentVolumeClaim");
    assertEquals(pvc.getMetadata().getName(), claim.getClaimName(), "the claim of pvc.yaml");
    assertNotEquals(Boolean.TRUE, mountAt("/data").getReadOnly());

    assertEquals("v1", pvc.getApiVersion());
    assertEquals(List.of("ReadWriteOnce"), pvc.getSpec().getAccessModes());
    assertEquals(Set.of("storage"), pvc.getSpec().getResources().getRequests().keySet(), "a size, nothing else");
  }

  @Test
  void extraRoutesConfigMapIsMountedAtAppRoutes() {
    VolumeMount mount = mountAt("/app/routes");
    assertEquals(Boolean.TRUE, mount.getReadOnly());
    var source = volume(mount.getName()).getConfigMap();
    assertNotNull(source, "/app/routes comes from a ConfigMap");
    assertEquals(routes.getMetadata().getName(), source.getName(), "the ConfigMap of routes-configmap.yaml");
    assertFalse(routes.getData().isEmpty(), "an example route");
    routes.getData().keySet().forEach(k -> assertTrue(k.matches("[-._a-zA-Z0-9]+\\.camel\\.yaml"), "route file " + k));
  }

  @Test
  void exampleRoutesAreValidYamlAndLoadInCamel() throws Exception {
    for (Map.Entry<String, String> file : routes.getData().entrySet()) {
      List<Map<String, Object>> parsed = YAML.readValue(file.getValue(), new TypeReference<>() {});
      assertFalse(parsed.isEmpty(), file.getKey());
      parsed.forEach(item -> assertTrue(item.containsKey("route"), file.getKey() + ": a list of - route:"));

      // and Camel's YAML DSL, which rejects unknown keys, loads and runs it
      try (CamelContext camel = new DefaultCamelContext()) {
        // the tool's own properties, so an example may listen to an event by its property, as the README says
        camel.getPropertiesComponent().setLocation("file:application.properties");
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString(file.getKey(), file.getValue()));
        camel.start();
        assertFalse(camel.getRoutes().isEmpty(), file.getKey());
        String from = camel.getRoutes().get(0).getEndpoint().getEndpointUri();
        if (from.startsWith("direct:") || from.startsWith("seda:") || from.startsWith("event:")) {
          camel.createProducerTemplate().sendBody(from, "{}");
        }
      }
    }
  }

  // ---------------------------------------------------------------- all files together

  @Test
  void namesAreNamespaceNeutralAndLabelled() {
    for (HasMetadata r : List.<HasMetadata>of(cronJob, pvc, secret, routes)) {
      String what = r.getKind() + " " + r.getMetadata().getName();
      assertTrue(r.getMetadata().getName().startsWith("claude-backup"), what);
      assertNull(r.getMetadata().getNamespace(), what + ": no namespace in the file");
      assertEquals("claude-backup", r.getMetadata().getLabels().get("app.kubernetes.io/name"), what);
    }
  }

  @Test
  void everyVolumeIsMountedAndEveryMountHasAVolume() {
    Set<String> volumes = podSpec().getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
    Set<String> mounted = container().getVolumeMounts().stream().map(VolumeMount::getName).collect(Collectors.toSet());
    assertEquals(volumes, mounted);
  }

  @Test
  void kustomizationListsEveryManifestButTheExampleSecret() throws IOException {
    assertEquals("Kustomization", kustomization.get("kind"));
    @SuppressWarnings("unchecked")
    List<String> resources = (List<String>) kustomization.get("resources");
    Set<String> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files = list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).collect(Collectors.toSet());
    }
    // applying the example Secret would overwrite the real session key with the placeholder
    assertFalse(resources.contains("secret.example.yaml"));
    files.remove("secret.example.yaml");
    assertEquals(files, Set.copyOf(resources));
    assertEquals(resources.size(), Set.copyOf(resources).size(), "no file twice");

    // the image is the one kustomize rewrites
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> images = (List<Map<String, Object>>) kustomization.get("images");
    String image = container().getImage().replaceFirst(":[^:/]+$", "");
    assertTrue(images.stream().anyMatch(i -> image.equals(i.get("name"))), "kustomization rewrites " + image);
  }
}
