package dev.claudebackup.extras;

import jakarta.mail.PasswordAuthentication;

import org.apache.camel.component.mail.MailAuthenticator;

/**
 * The SMTP server's user and password, handed to the mail endpoint as a bean, so that the password is
 * never part of an endpoint URI (which Camel may log). No user: the server is not asked to log in.
 */
public final class SmtpLogin extends MailAuthenticator {

    private final String user;
    private final String password;

    public SmtpLogin(String user, String password) {
        this.user = user == null || user.isBlank() ? null : user.strip();
        this.password = password == null ? "" : password;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(user, password);
    }

    @Override
    public String toString() {
        return "SmtpLogin[" + (user == null ? "no login" : user) + "]";
    }
}
