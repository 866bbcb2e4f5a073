package dev.claudebackup.sync;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * One organization's chats as the split over them asks for them, while the list is still being read:
 * the next page is always asked for in the background (on its own thread, through the
 * {@code read-chat-list} route and its error handling) as soon as the one before it arrived, so the
 * chats already listed are fetched meanwhile, instead of every page being read before the first chat.
 *
 * <p>Only the page reader touches the pager while a page is on its way; this iterator reads the pager's
 * entries only once the page is in (the future's completion orders the two). A page that fails after
 * its retries (the error handler has recorded why) ends the list here, as the paging loop did.
 */
final class ListedChats implements Iterator<ChatRef> {

    private final Exchange organizationExchange;
    private final ChatListPager pager;
    private final ProducerTemplate template;
    private final String pageRoute;
    private final ExecutorService reader;
    private final Function<Exchange, Boolean> wantsMore;
    private final Function<JsonNode, ChatRef> toChat;
    private final Runnable listRead;
    private final ArrayDeque<ChatRef> ready = new ArrayDeque<>();
    private final Set<String> given = new HashSet<>();
    private Future<Boolean> reading;
    private boolean failed;
    private boolean reported;

    /**
     * @param toChat   the chat of a list entry, or null when the entry is skipped (already reported)
     * @param listRead called once, when the list has no more pages to give
     */
    ListedChats(Exchange organizationExchange, ChatListPager pager, ProducerTemplate template, String pageRoute,
                ExecutorService reader, Function<Exchange, Boolean> wantsMore, Function<JsonNode, ChatRef> toChat,
                Runnable listRead) {
        this.organizationExchange = organizationExchange;
        this.pager = pager;
        this.template = template;
        this.pageRoute = pageRoute;
        this.reader = reader;
        this.wantsMore = wantsMore;
        this.toChat = toChat;
        this.listRead = listRead;
    }

    @Override
    public boolean hasNext() {
        readAhead();
        while (ready.isEmpty() && reading != null) {
            takePage();
        }
        if (reading != null && reading.isDone()) {
            takePage();
        }
        if (reading == null && !reported) {
            reported = true;
            listRead.run();
        }
        return !ready.isEmpty();
    }

    @Override
    public ChatRef next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Asks for the next page in the background, unless one is on its way or the list is done. */
    private void readAhead() {
        if (reading == null && !failed && wantsMore.apply(organizationExchange)) {
            reading = reader.submit(() -> {
                int before = pager.requests();
                // A copy: the split holds the organization's exchange; the copy shares its run and pager.
                // A copy also shares the organization's unit of work, so the page gets one of its own:
                // what is done when the page ends (giving back its request slot) must happen then, on
                // the page, and not when the organization ends, on an exchange that holds no slot.
                Exchange page = organizationExchange.copy();
                page.getExchangeExtension().setUnitOfWork(null);
                template.send(pageRoute, page);
                return page.getException() == null && pager.requests() > before;
            });
        }
    }

    /** Waits for the page on its way, takes its new entries, and asks for the next one. */
    private void takePage() {
        try {
            failed = !reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = true;
        } catch (ExecutionException e) {
            failed = true;
        }
        reading = null;
        for (JsonNode entry : pager.entries()) {
            String uuid = entry.path("uuid").asText("");
            if (given.add(uuid.isEmpty() ? "#" + given.size() : uuid)) {
                ChatRef chat = toChat.apply(entry);
                if (chat != null) {
                    ready.add(chat);
                }
            }
        }
        readAhead();
    }
}
