package dev.claudebackup.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * The Idempotent Consumer's key of the chat in the body ({@link ChatRef#idempotencyKey()}), as the routes'
 * {@code ref: chatVersionKey}. Not {@code ${body.idempotencyKey}}: Simple looks up a chat's methods in a
 * cache keyed on the chat itself, so every chat cost a new introspection and a copy of the exchange.
 */
public final class ChatVersionKey implements Expression {

    @Override
    public <T> T evaluate(Exchange exchange, Class<T> type) {
        return exchange.getContext().getTypeConverter().convertTo(type, exchange,
                exchange.getMessage().getBody(ChatRef.class).idempotencyKey());
    }
}
