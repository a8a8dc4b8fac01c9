/**
 * The workers: actors deployed on event loops (not Vert.x worker verticles, nothing here blocks),
 * one per entity type plus the device and key workers. Each serves its contract from
 * {@code worker.api} on local event-bus addresses, decides (verdicts, retries, which transaction
 * records a device's push) and has its store persist.
 */
package io.syncnode.worker;
