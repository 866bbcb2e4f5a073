package dev.claudebackup.demo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An account as claude.ai would describe it: organizations, each with chats whose full JSON (every
 * branch) is kept as bytes, exactly what the API answers. It can be changed while a server serves it,
 * so tests can add, update, rename and delete chats between and during runs.
 */
public final class SampleAccount {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final String ROOT_PARENT = "00000000-0000-4000-8000-000000000000";

    /** A chat: its list entry and its whole JSON. */
    public record Chat(String uuid, String name, String updatedAt, String currentLeaf, byte[] json) {
    }

    /** An organization and its chats by uuid. */
    public record Organization(String uuid, String name, List<String> capabilities, Map<String, Chat> chats) {
    }

    /** A project: what its list entry, its own answer, its docs, its files list and its memory are made of. */
    public record Project(String uuid, String name, String description, String instructions, String updatedAt,
                          List<Doc> docs, List<String> fileNames, String memory) {
    }

    /** A knowledge document of a project. */
    public record Doc(String uuid, String fileName, String content) {
    }

    /** A style the user made (list_styles' customStyles). */
    public record Style(String key, String name, String prompt) {
    }

    /** Where uuids come from: random, or for the demo a seeded sequence, the same at every start. */
    private final Supplier<UUID> uuids;
    private final String accountUuid;
    private final Map<String, Organization> organizations = new LinkedHashMap<>();
    /** Each organization's projects, its memory (null: the feature is off, 404) and its custom styles. */
    private final Map<String, Map<String, Project>> projects = new LinkedHashMap<>();
    private final Map<String, String> memories = new LinkedHashMap<>();
    private final Map<String, List<Style>> styles = new LinkedHashMap<>();
    private Instant clock = Instant.parse("2025-06-01T10:00:00.123456Z");

    /** An account whose uuids are random. */
    public SampleAccount() {
        this(UUID::randomUUID);
    }

    /**
     * An account whose uuids follow from {@code seed}: built by the same steps, it is the same account,
     * uuids and dates alike (the dates come from a clock that starts at a fixed time).
     */
    public SampleAccount(long seed) {
        this(seededUuids(seed));
    }

    private SampleAccount(Supplier<UUID> uuids) {
        this.uuids = uuids;
        this.accountUuid = uuids.get().toString();
    }

    /** Version-4 uuids (random-looking, canonical) from a seeded generator. */
    private static Supplier<UUID> seededUuids(long seed) {
        Random random = new Random(seed);
        return () -> {
            long high = (random.nextLong() & ~0xF000L) | 0x4000L;
            long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(high, low);
        };
    }

    public synchronized Organization addOrganization(String name, String... capabilities) {
        Organization organization = new Organization(uuids.get().toString(), name, List.of(capabilities), new LinkedHashMap<>());
        organizations.put(organization.uuid(), organization);
        return organization;
    }

    public synchronized void renameOrganization(String uuid, String name) {
        Organization old = organizations.get(uuid);
        organizations.put(uuid, new Organization(uuid, name, old.capabilities(), old.chats()));
    }

    public synchronized List<Organization> organizations() {
        return List.copyOf(organizations.values());
    }

    public synchronized Organization organization(String uuid) {
        return organizations.get(uuid);
    }

    /** Adds a chat with {@code turns} exchanges and, when {@code branched}, a retried answer on the first. */
    public synchronized Chat addChat(String organizationUuid, String name, int turns, boolean branched) {
        return putChat(organizationUuid, uuids.get().toString(), name, turns, branched, null);
    }

    /** A new message in the chat: it moves to the front of the list. */
    public synchronized Chat updateChat(String organizationUuid, String chatUuid) {
        Chat old = chat(organizationUuid, chatUuid);
        return putChat(organizationUuid, chatUuid, old.name(), turnsOf(old) + 1, false, null);
    }

    /** A rename changes the name and updated_at, as claude.ai's does. */
    public synchronized Chat renameChat(String organizationUuid, String chatUuid, String name) {
        Chat old = chat(organizationUuid, chatUuid);
        return putChat(organizationUuid, chatUuid, name, turnsOf(old), false, null);
    }

    /** Shows another branch in the web page: current_leaf_message_uuid changes, updated_at does not. */
    public synchronized Chat switchBranch(String organizationUuid, String chatUuid) throws java.io.IOException {
        Chat old = chat(organizationUuid, chatUuid);
        ObjectNode json = (ObjectNode) MAPPER.readTree(old.json());
        ArrayNode messages = (ArrayNode) json.path("chat_messages");
        String leaf = messages.get(0).path("uuid").asText();
        json.put("current_leaf_message_uuid", leaf);
        Chat switched = new Chat(chatUuid, old.name(), old.updatedAt(), leaf, MAPPER.writeValueAsBytes(json));
        organizations.get(organizationUuid).chats().put(chatUuid, switched);
        return switched;
    }

    public synchronized void deleteChat(String organizationUuid, String chatUuid) {
        organizations.get(organizationUuid).chats().remove(chatUuid);
    }

    /** Puts a chat whose JSON is given as is (e.g. a huge one, or one with a bad uuid). */
    public synchronized Chat putRawChat(String organizationUuid, String uuid, String name, byte[] json) {
        Chat chat = new Chat(uuid, name, tick(), null, json);
        organizations.get(organizationUuid).chats().put(uuid, chat);
        return chat;
    }

    public synchronized Chat chat(String organizationUuid, String chatUuid) {
        return organizations.get(organizationUuid).chats().get(chatUuid);
    }

    /** The chats, most recently updated first, as the list gives them. */
    public synchronized List<Chat> chatList(String organizationUuid) {
        List<Chat> chats = new ArrayList<>(organizations.get(organizationUuid).chats().values());
        chats.sort(Comparator.comparing(Chat::updatedAt).reversed());
        return chats;
    }

    // --- projects, memory and styles ---

    /** A new project with its instructions, no docs, no files and no memory. */
    public synchronized Project addProject(String organizationUuid, String name, String instructions) {
        return putProject(organizationUuid, new Project(uuids.get().toString(), name, "About " + name, instructions,
                tick(), List.of(), List.of(), null));
    }

    public synchronized Project project(String organizationUuid, String projectUuid) {
        return projects.getOrDefault(organizationUuid, Map.of()).get(projectUuid);
    }

    /** The projects, most recently updated first. */
    public synchronized List<Project> projects(String organizationUuid) {
        List<Project> list = new ArrayList<>(projects.getOrDefault(organizationUuid, Map.of()).values());
        list.sort(Comparator.comparing(Project::updatedAt).reversed());
        return list;
    }

    /** New instructions move the project's updated_at. */
    public synchronized Project setInstructions(String organizationUuid, String projectUuid, String instructions) {
        Project p = project(organizationUuid, projectUuid);
        return putProject(organizationUuid, new Project(p.uuid(), p.name(), p.description(), instructions, tick(), p.docs(),
                p.fileNames(), p.memory()));
    }

    public synchronized Project renameProject(String organizationUuid, String projectUuid, String name) {
        Project p = project(organizationUuid, projectUuid);
        return putProject(organizationUuid, new Project(p.uuid(), name, p.description(), p.instructions(), tick(), p.docs(),
                p.fileNames(), p.memory()));
    }

    /** A knowledge doc; with {@code movesDate} false the project's updated_at stays (whether claude.ai moves it is not known). */
    public synchronized Project addDoc(String organizationUuid, String projectUuid, String fileName, String content, boolean movesDate) {
        Project p = project(organizationUuid, projectUuid);
        List<Doc> docs = new ArrayList<>(p.docs());
        docs.add(new Doc(uuids.get().toString(), fileName, content));
        return putProject(organizationUuid, new Project(p.uuid(), p.name(), p.description(), p.instructions(),
                movesDate ? tick() : p.updatedAt(), List.copyOf(docs), p.fileNames(), p.memory()));
    }

    /** An uploaded file in the project's files list; updated_at stays. */
    public synchronized Project addProjectFile(String organizationUuid, String projectUuid, String fileName) {
        Project p = project(organizationUuid, projectUuid);
        List<String> files = new ArrayList<>(p.fileNames());
        files.add(fileName);
        return putProject(organizationUuid, new Project(p.uuid(), p.name(), p.description(), p.instructions(), p.updatedAt(),
                p.docs(), List.copyOf(files), p.memory()));
    }

    /** The project's memory (null: none, answered 404); updated_at stays. */
    public synchronized Project setProjectMemory(String organizationUuid, String projectUuid, String memory) {
        Project p = project(organizationUuid, projectUuid);
        return putProject(organizationUuid, new Project(p.uuid(), p.name(), p.description(), p.instructions(), p.updatedAt(),
                p.docs(), p.fileNames(), memory));
    }

    public synchronized void deleteProject(String organizationUuid, String projectUuid) {
        projects.getOrDefault(organizationUuid, new LinkedHashMap<>()).remove(projectUuid);
    }

    /** The organization's memory (null: the feature is off there, answered 404). */
    public synchronized void setMemory(String organizationUuid, String memory) {
        memories.put(organizationUuid, memory);
    }

    public synchronized Style addCustomStyle(String organizationUuid, String name, String prompt) {
        Style style = new Style(uuids.get().toString(), name, prompt);
        styles.computeIfAbsent(organizationUuid, o -> new ArrayList<>()).add(style);
        return style;
    }

    private Project putProject(String organizationUuid, Project project) {
        projects.computeIfAbsent(organizationUuid, o -> new LinkedHashMap<>()).put(project.uuid(), project);
        return project;
    }

    /** The project list: entries without the instructions, as claude.ai answers it. */
    public synchronized byte[] projectListJson(String organizationUuid) {
        ArrayNode list = MAPPER.createArrayNode();
        for (Project project : projects(organizationUuid)) {
            list.add(projectEntry(project));
        }
        return toBytes(list);
    }

    /** One project: the entry with its instructions ({@code prompt_template}). */
    public synchronized byte[] projectJson(String organizationUuid, String projectUuid) {
        Project project = project(organizationUuid, projectUuid);
        if (project == null) {
            return null;
        }
        ObjectNode json = projectEntry(project);
        json.put("prompt_template", project.instructions());
        json.putObject("settings").put("an_unknown_future_field", "kept as is");
        return toBytes(json);
    }

    public synchronized byte[] projectDocsJson(String organizationUuid, String projectUuid) {
        Project project = project(organizationUuid, projectUuid);
        if (project == null) {
            return null;
        }
        ArrayNode docs = MAPPER.createArrayNode();
        for (Doc doc : project.docs()) {
            ObjectNode node = docs.addObject();
            node.put("uuid", doc.uuid());
            node.put("file_name", doc.fileName());
            node.put("content", doc.content());
            node.put("created_at", "2025-02-01T00:00:00.000000Z");
        }
        return toBytes(docs);
    }

    public synchronized byte[] projectFilesJson(String organizationUuid, String projectUuid) {
        Project project = project(organizationUuid, projectUuid);
        if (project == null) {
            return null;
        }
        ArrayNode files = MAPPER.createArrayNode();
        for (String name : project.fileNames()) {
            String fileUuid = UUID.nameUUIDFromBytes((project.uuid() + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            ObjectNode node = files.addObject();
            node.put("file_uuid", fileUuid);
            node.put("file_name", name);
            node.put("file_kind", "document");
            node.putObject("document_asset").put("url", "/api/" + organizationUuid + "/files/" + fileUuid + "/document_pdf");
        }
        return toBytes(files);
    }

    /** Whether {@code fileUuid} is a file of one of the organization's projects (its bytes are served as a small PDF). */
    public synchronized boolean isProjectFile(String organizationUuid, String fileUuid) {
        for (Project project : projects.getOrDefault(organizationUuid, Map.of()).values()) {
            for (String name : project.fileNames()) {
                if (UUID.nameUUIDFromBytes((project.uuid() + name).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString().equals(fileUuid)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The project's memory, or null (404) when it has none. */
    public synchronized byte[] projectMemoryJson(String organizationUuid, String projectUuid) {
        Project project = project(organizationUuid, projectUuid);
        return project == null || project.memory() == null ? null : memoryAnswer(project.memory());
    }

    /** The organization's memory, or null (404) where the feature is off. */
    public synchronized byte[] memoryJson(String organizationUuid) {
        String memory = memories.get(organizationUuid);
        return memory == null ? null : memoryAnswer(memory);
    }

    public synchronized byte[] stylesJson(String organizationUuid) {
        ObjectNode json = MAPPER.createObjectNode();
        ObjectNode normal = json.putArray("defaultStyles").addObject();
        normal.put("type", "default");
        normal.put("key", "Normal");
        normal.put("name", "Normal");
        normal.put("prompt", "Normal");
        normal.put("summary", "Default responses from Claude");
        ArrayNode custom = json.putArray("customStyles");
        for (Style style : styles.getOrDefault(organizationUuid, List.of())) {
            ObjectNode node = custom.addObject();
            node.put("type", "custom");
            node.put("key", style.key());
            node.put("name", style.name());
            node.put("prompt", style.prompt());
            node.put("summary", "A style of my own");
        }
        json.putObject("text");
        return toBytes(json);
    }

    private static byte[] memoryAnswer(String memory) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("memory", memory);
        json.putObject("controls");
        json.put("updated_at", "2025-03-01T00:00:00.000000Z");
        return toBytes(json);
    }

    private static ObjectNode projectEntry(Project project) {
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("uuid", project.uuid());
        entry.put("name", project.name());
        entry.put("description", project.description());
        entry.put("is_private", true);
        entry.put("is_starter_project", false);
        entry.put("created_at", "2025-01-01T00:00:00.000000Z");
        entry.put("updated_at", project.updatedAt());
        ObjectNode creator = entry.putObject("creator");
        creator.put("uuid", "00000000-0000-4000-8000-00000000c0de");
        creator.put("full_name", "Demo Person");
        return entry;
    }

    public synchronized byte[] accountJson() {
        ObjectNode account = MAPPER.createObjectNode();
        account.put("uuid", accountUuid);
        account.put("email_address", "demo@example.invalid");
        account.put("full_name", "Demo Person");
        account.put("display_name", "Demo");
        account.putObject("settings");
        ArrayNode memberships = account.putArray("memberships");
        for (Organization organization : organizations.values()) {
            ObjectNode node = memberships.addObject().putObject("organization");
            node.put("uuid", organization.uuid());
            node.put("name", organization.name());
            ArrayNode capabilities = node.putArray("capabilities");
            organization.capabilities().forEach(capabilities::add);
            node.putObject("settings");
            node.put("created_at", "2024-01-01T00:00:00.000000Z");
            node.put("updated_at", "2024-01-01T00:00:00.000000Z");
        }
        return toBytes(account);
    }

    public static ObjectNode listEntry(Chat chat) {
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("uuid", chat.uuid());
        entry.put("name", chat.name());
        entry.put("summary", "");
        entry.put("model", "claude-sonnet-4-5-20250929");
        entry.put("created_at", "2025-01-01T00:00:00.000000Z");
        entry.put("updated_at", chat.updatedAt());
        entry.put("is_starred", false);
        entry.putNull("project_uuid");
        entry.put("current_leaf_message_uuid", chat.currentLeaf());
        entry.putObject("settings").put("preview_feature_uses_artifacts", true);
        return entry;
    }

    private Chat putChat(String organizationUuid, String uuid, String name, int turns, boolean branched, String leafOverride) {
        String updatedAt = tick();
        ObjectNode json = MAPPER.createObjectNode();
        json.put("uuid", uuid);
        json.put("name", name);
        json.put("summary", "");
        json.put("model", "claude-sonnet-4-5-20250929");
        json.put("created_at", "2025-01-01T00:00:00.000000Z");
        json.put("updated_at", updatedAt);
        json.putObject("settings").put("enabled_web_search", true);
        json.put("is_starred", false);
        json.put("is_temporary", false);
        json.putNull("project_uuid");
        json.put("an_unknown_future_field", "kept as is");
        ArrayNode messages = json.putArray("chat_messages");
        String parent = ROOT_PARENT;
        String leaf = null;
        for (int turn = 0; turn < turns; turn++) {
            String human = message(messages, parent, "human", "Question " + (turn + 1) + " about " + name, updatedAt);
            leaf = message(messages, human, "assistant", "Answer " + (turn + 1) + " about " + name, updatedAt);
            if (branched && turn == 0) {
                message(messages, human, "assistant", "A retried answer about " + name, updatedAt);
            }
            parent = leaf;
        }
        json.put("current_leaf_message_uuid", leafOverride != null ? leafOverride : leaf);
        Chat chat = new Chat(uuid, name, updatedAt, json.path("current_leaf_message_uuid").asText(null), toBytes(json));
        organizations.get(organizationUuid).chats().put(uuid, chat);
        return chat;
    }

    private String message(ArrayNode messages, String parent, String sender, String text, String at) {
        ObjectNode message = messages.addObject();
        String uuid = uuids.get().toString();
        message.put("uuid", uuid);
        message.put("index", messages.size() - 1);
        message.put("sender", sender);
        message.put("parent_message_uuid", parent);
        message.put("text", "");
        ObjectNode block = message.putArray("content").addObject();
        block.put("type", "text");
        block.put("text", text);
        block.putArray("citations");
        message.put("created_at", at);
        message.put("updated_at", at);
        message.put("truncated", false);
        message.putArray("attachments");
        message.putArray("files");
        message.putArray("files_v2");
        message.putArray("sync_sources");
        return uuid;
    }

    private static int turnsOf(Chat chat) {
        try {
            int messages = 0;
            for (var message : MAPPER.readTree(chat.json()).path("chat_messages")) {
                messages += "human".equals(message.path("sender").asText()) ? 1 : 0;
            }
            return Math.max(1, messages);
        } catch (java.io.IOException e) {
            return 1;
        }
    }

    /** Each change gets a later time, with microseconds and Z as claude.ai writes them. */
    private String tick() {
        clock = clock.plus(1234567, ChronoUnit.MICROS);
        return TIMESTAMP.format(clock);
    }

    private static byte[] toBytes(Object json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
