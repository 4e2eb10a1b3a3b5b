package io.s3dlio.workload;

/** Whether a {@link LoadRun} report lists the URIs of each epoch in the order they were delivered. */
public enum DeliveryOrder {
    OMITTED,
    RECORDED
}
