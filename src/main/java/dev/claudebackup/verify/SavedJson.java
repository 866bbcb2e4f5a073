package dev.claudebackup.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import dev.claudebackup.store.FileDigests;

/**
 * A saved JSON file, read once as a stream (a chat may be megabytes): whether it is one whole JSON
 * object (or, with {@link #readAny}, any one whole JSON value: a project's docs.json is a list), the
 * top-level string fields asked for, and the sha-256 of its bytes.
 */
record SavedJson(boolean whole, String problem, Map<String, String> fields, String sha256) {

    /** The parser leaves the stream open: the rest of the file still goes through the digest. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    static SavedJson read(Path file, Set<String> fieldNames) throws IOException {
        return read(file, fieldNames, false);
    }

    /** Whether the file is one whole JSON value of any kind. */
    static SavedJson readAny(Path file) throws IOException {
        return read(file, Set.of(), true);
    }

    private static SavedJson read(Path file, Set<String> fieldNames, boolean anyValue) throws IOException {
        MessageDigest digest = FileDigests.newSha256();
        Map<String, String> fields = new HashMap<>();
        String problem = null;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            try (JsonParser parser = JSON.createParser(in)) {
                JsonToken first = parser.nextToken();
                if (anyValue && first != null && first != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    if (parser.nextToken() != null) {
                        problem = "has more after its JSON";
                    }
                } else if (first != JsonToken.START_OBJECT) {
                    problem = "not a JSON object";
                } else {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (value == JsonToken.VALUE_STRING && fieldNames.contains(field)) {
                            fields.put(field, parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                    if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                        problem = "has more after its JSON";
                    }
                }
            } catch (JsonProcessingException e) {
                problem = e.getOriginalMessage();
            }
            in.transferTo(OutputStream.nullOutputStream()); // the rest counts in the hash
        }
        return new SavedJson(problem == null, problem, fields, FileDigests.hex(digest));
    }
}
