package dev.claudebackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The properties in force, from four layers, each overriding the one before: the application.properties
 * packed in the jar, a {@code --config FILE}, environment variables, and the command line. An
 * environment variable is the property's name in upper case with dots and dashes as underscores
 * ({@code backup.connections} is {@code BACKUP_CONNECTIONS}), the same rule Camel uses.
 *
 * <p>The result is handed to Camel whole, as override properties, so the routes, Camel's own options
 * and the Java beans all see the same values. (Camel alone would not apply every CAMEL_COMPONENT_*
 * variable; resolving here makes every property overridable the same way.)
 */
public final class Configuration {

    public static final String BUILT_IN = "application.properties";

    private final Map<String, String> values;

    private Configuration(Map<String, String> values) {
        this.values = values;
    }

    public static Properties builtIn() {
        Properties properties = new Properties();
        try (InputStream in = Configuration.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the jar");
            }
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the built-in " + BUILT_IN + ": " + e.getMessage(), e);
        }
        return properties;
    }

    /**
     * @param configFile  the --config file, or null
     * @param environment the process environment
     * @param commandLine properties set by command-line options
     */
    public static Configuration load(Path configFile, Map<String, String> environment, Map<String, String> commandLine)
            throws ConfigurationException {
        Map<String, String> values = new TreeMap<>();
        builtIn().forEach((key, value) -> values.put((String) key, (String) value));
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new ConfigurationException("Cannot read the configuration file " + configFile + ": " + e.getMessage());
            }
            file.forEach((key, value) -> values.put((String) key, ((String) value).trim()));
        }
        for (String key : Map.copyOf(values).keySet()) {
            String fromEnvironment = environment.get(environmentName(key));
            if (fromEnvironment != null) {
                values.put(key, fromEnvironment);
            }
        }
        values.putAll(commandLine);
        return new Configuration(values);
    }

    public static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("property " + key + " is not set");
        }
        return value;
    }

    public void set(String key, String value) {
        values.put(key, value);
    }

    public int getInt(String key, int min) throws ConfigurationException {
        try {
            int value = Integer.parseInt(get(key).trim());
            if (value < min) {
                throw new ConfigurationException(key + " must be at least " + min + ", not " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + " must be a whole number, not \"" + get(key) + "\"");
        }
    }

    public double getSeconds(String key) throws ConfigurationException {
        try {
            double value = Double.parseDouble(get(key).trim());
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new ConfigurationException(key + " must be zero or more seconds, not " + get(key));
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + " must be a number of seconds, not \"" + get(key) + "\"");
        }
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key).trim());
    }

    public Map<String, String> all() {
        return Map.copyOf(values);
    }

    /** Bad usage or configuration: exit status 2. */
    public static final class ConfigurationException extends Exception {
        public ConfigurationException(String message) {
            super(message);
        }
    }
}
