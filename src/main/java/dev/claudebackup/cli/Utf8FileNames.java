package dev.claudebackup.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chat names are Unicode, and file names must be too. A JVM started without a UTF-8 locale (cron's
 * bare environment, many containers: LANG unset, so the "C" locale) encodes file names in ASCII and
 * throws on the first chat named with an accent or an emoji. The JVM reads the locale once, at start,
 * and no option changes it afterwards, so in that case the command runs itself again in a child JVM
 * with {@code LC_ALL=C.UTF-8}, passing signals on and its exit status back.
 */
final class Utf8FileNames {

    /** Set in the child, so it never relaunches again. */
    static final String RELAUNCHED = "CLAUDE_BACKUP_UTF8_RELAUNCH";

    private Utf8FileNames() {
    }

    /** The child's exit status when this JVM had to relaunch; empty when file names are UTF-8 already. */
    static Optional<Integer> relaunchIfNeeded(String[] args) {
        if (System.getenv(RELAUNCHED) != null) {
            exitWithParent();
            return Optional.empty();
        }
        String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        if (windows || encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8")) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClaudeBackup.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().put(RELAUNCHED, "1");
        try {
            Process child = builder.start();
            // SIGTERM or Ctrl-C to us goes on to the child, which stops gracefully; we wait for it.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                child.destroy();
                try {
                    // Exit with the child's status (it stopped gracefully), not the signal's 143.
                    Runtime.getRuntime().halt(child.waitFor());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "utf8-relaunch-forwarder"));
            return Optional.of(child.waitFor());
        } catch (Exception e) {
            System.err.println("warning: file names are not UTF-8 here (" + encoding + "), and running again with"
                    + " LC_ALL=C.UTF-8 failed (" + e.getMessage() + "); chats with non-ASCII names may fail. Set LANG=C.UTF-8.");
            return Optional.empty();
        }
    }

    /**
     * A parent killed outright (SIGKILL) cannot pass the signal on: the child ends with it, as the one
     * process it stands for would have. Orphaned, the child gets a new parent, which is what is watched.
     */
    private static void exitWithParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parent) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(137);
        }, "utf8-relaunch-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
