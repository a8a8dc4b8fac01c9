/**
 * The workers' typed contracts: one interface per worker, the records they exchange, their
 * addresses, and {@link io.syncnode.worker.api.Workers}, the clients over the local event bus.
 * The only package the HTTP side imports from below it.
 */
package io.syncnode.worker.api;
