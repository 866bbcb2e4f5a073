package dev.claudebackup.readable;

import java.util.List;

/**
 * What the page templates show (resources/readable/*.mustache). Mustache escapes every value it puts in
 * the page; only {@code html} fields, made by {@link Markdown} (raw HTML escaped), go in unescaped.
 */
final class View {

    private View() {
    }

    record Link(String title, String href) {
    }

    record Chat(String name, String uuid, String claudeUrl, String created, String updated, String model,
                Link project, boolean starred, int messages, String summary, String organization,
                String markdownHref, List<Branch> branches, boolean branched) {
        public int branchCount() {
            return branches.size();
        }
    }

    record Branch(int number, String title, String forkNote, String anchor, List<Message> messages) {
    }

    record Message(String uuid, String parent, String sender, String who, String when, int depth, int order,
                   List<Part> parts) {
    }

    /** One thing in a message; exactly one field is set, and the template shows that kind. */
    record Part(String markdown, String typed, String thinking, Tool tool, Result result, Artifact artifact, List<Link> citations,
                Attachment attachment, File file, Other other) {
        public boolean hasCitations() {
            return citations != null && !citations.isEmpty();
        }

        static Part markdown(String html) {
            return new Part(html, null, null, null, null, null, null, null, null, null);
        }

        /** A person's text, shown as typed: what they write is not Markdown ({@code **big**} stays, so do its line breaks). */
        static Part typed(String text) {
            return new Part(null, text, null, null, null, null, null, null, null, null);
        }

        static Part thinking(String html) {
            return new Part(null, null, html, null, null, null, null, null, null, null);
        }

        static Part tool(Tool tool) {
            return new Part(null, null, null, tool, null, null, null, null, null, null);
        }

        static Part result(Result result) {
            return new Part(null, null, null, null, result, null, null, null, null, null);
        }

        static Part artifact(Artifact artifact) {
            return new Part(null, null, null, null, null, artifact, null, null, null, null);
        }

        static Part citations(List<Link> links) {
            return new Part(null, null, null, null, null, null, links, null, null, null);
        }

        static Part attachment(Attachment attachment) {
            return new Part(null, null, null, null, null, null, null, attachment, null, null);
        }

        static Part file(File file) {
            return new Part(null, null, null, null, null, null, null, null, file, null);
        }

        static Part other(Other other) {
            return new Part(null, null, null, null, null, null, null, null, null, other);
        }
    }

    record Tool(String name, String summary, String input) {
    }

    record Result(String name, boolean error, String text, List<Link> links, List<File> images) {
        public boolean hasLinks() {
            return !links.isEmpty();
        }
    }

    record Artifact(String title, String href, int version, int versions, String fileName) {
        public boolean versioned() {
            return versions > 1;
        }
    }

    record Attachment(String fileName, String content) {
    }

    /** An image or document; {@code href} null when its file is not in the backup. */
    record File(String name, String href, boolean image) {
    }

    record Other(String type, String json) {
    }
}
