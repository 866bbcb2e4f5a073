package dev.claudebackup.api;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The headers around one claude.ai request (route call-claude-api). A processor, not {@code removeHeaders}
 * with a pattern: Camel tries a pattern that is not a plain prefix as a regular expression too, compiled anew
 * for every header of every request (1 % of a full backup's CPU).
 */
public enum RedeliveryHeaders implements Processor {

    /** A clean request: every header goes but Camel's count of the failed tries of this request. */
    KEEP_ONLY {
        @Override
        public void process(Exchange exchange) {
            exchange.getMessage().getHeaders().keySet().removeIf(name -> !isRedelivery(name));
        }
    },

    /** An answer came: the next request starts a count of its own tries. */
    REMOVE {
        @Override
        public void process(Exchange exchange) {
            exchange.getMessage().getHeaders().keySet().removeIf(RedeliveryHeaders::isRedelivery);
        }
    };

    private static final String PREFIX = "CamelRedelivery";

    private static boolean isRedelivery(String name) {
        return name.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
