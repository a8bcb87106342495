package io.asyncbench.load;

/**
 * What each connection of one {@link ClientLoop} completed while it was counting: how fairly the
 * server shared itself between connections.
 *
 * @param firstIndex      the number of the loop's first connection (connections are numbered
 *                        across all loops of a run)
 * @param completed       operations completed per connection, in connection order
 * @param longestGapNanos per connection, the longest time between two completions (counting from
 *                        the start and up to the end of the count)
 * @param countedNanos    how long the count ran, pauses left out
 */
public record ConnectionCounts(int firstIndex, long[] completed, long[] longestGapNanos, long countedNanos) {

    public ConnectionCounts {
        if (completed.length != longestGapNanos.length) {
            throw new IllegalArgumentException("one count and one gap per connection");
        }
    }

    public int connections() {
        return completed.length;
    }
}
