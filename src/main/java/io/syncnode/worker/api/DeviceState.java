package io.syncnode.worker.api;

import io.syncnode.protocol.Responses.DeviceInfo;

/** A registered device with the position up to which it has pulled. */
public record DeviceState(DeviceInfo info, long pullPosition) {}
