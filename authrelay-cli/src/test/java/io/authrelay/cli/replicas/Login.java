package io.authrelay.cli.replicas;

/** A device login started through one of the replicas: its session, the code the user enters, its provider. */
record Login(String session, String userCode, String provider) {}
