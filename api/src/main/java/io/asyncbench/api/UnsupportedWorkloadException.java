package io.asyncbench.api;

/** Thrown when a strategy is asked for a workload it does not declare in its workload set. */
public final class UnsupportedWorkloadException extends UnsupportedOperationException {

    private static final long serialVersionUID = 1L;

    public UnsupportedWorkloadException(Strategy strategy, Workload workload) {
        super("strategy '" + strategy.id() + "' does not implement the " + workload + " workload");
    }
}
