package dev.claudebackup.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Answers known commands with fixed output; every other command behaves as if not installed. */
final class FakeSecretCommands implements SecretCommands {

    final Map<List<String>, String> answers = new HashMap<>();
    final List<List<String>> calls = new ArrayList<>();

    FakeSecretCommands answer(String output, String... command) {
        answers.put(List.of(command), output);
        return this;
    }

    @Override
    public Optional<String> run(List<String> command) {
        calls.add(List.copyOf(command));
        return Optional.ofNullable(answers.get(command));
    }
}
