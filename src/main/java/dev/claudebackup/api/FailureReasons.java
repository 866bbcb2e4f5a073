package dev.claudebackup.api;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;

import org.apache.camel.component.file.GenericFileOperationFailedException;

import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Why a request or a write failed, in words a person can act on, for the retry lines and the failure
 * report: a write's file and the system's reason first, then claude.ai's answer or the connection's fault. Built from exception messages only: no request header (which holds the cookie) is ever in them.
 */
public final class FailureReasons {

    private FailureReasons() {
    }

    public static String of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileAlreadyExistsException exists) {
                return exists.getFile() + " already exists and is in the way";
            }
            if (cause instanceof java.nio.file.AccessDeniedException denied) {
                return denied.getFile() + ": permission denied";
            }
            if (cause instanceof FileSystemException fileSystem) {
                return fileSystem.getMessage(); // the file and the reason, e.g. "...: No space left on device"
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof GenericFileOperationFailedException write && root(cause) != cause) {
                return write.getMessage() + ": " + root(cause).getMessage(); // "Cannot store file: ...: File too large"
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClaudeApiException) {
                return cause.getMessage();
            }
            if (cause instanceof SocketTimeoutException || cause instanceof InterruptedIOException
                    && cause.getClass().getSimpleName().contains("Timeout")) {
                return "no answer in time (" + cause.getMessage() + ")";
            }
            if (cause instanceof NoHttpResponseException) {
                return "the connection was closed without an answer";
            }
            if (cause instanceof ConnectionClosedException) {
                return "the connection was closed before the whole answer came (" + cause.getMessage() + ")";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "cannot connect (" + cause.getMessage() + ")";
            }
            if (cause instanceof SocketException) {
                return "the connection broke (" + cause.getMessage() + ")";
            }
        }
        Throwable root = root(failure);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
