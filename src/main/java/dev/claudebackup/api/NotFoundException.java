package dev.claudebackup.api;

/** 404: a chat deleted since the list was read, or an endpoint that moved (the v1 chat list). */
public class NotFoundException extends ClaudeApiException {

    public NotFoundException(String path) {
        super(404, "not found on claude.ai (HTTP 404): " + path);
    }
}
