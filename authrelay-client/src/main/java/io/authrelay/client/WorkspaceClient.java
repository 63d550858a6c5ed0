package io.authrelay.client;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * What a workspace asks the broker: a credential ({@code vend}), an AI CLI's credential in the CLI's own forms
 * ({@code deliver}), a rejection report, and its own description.
 */
public final class WorkspaceClient {
    /** Error reports ({@code erase}) are best effort and must not hold git up. */
    public static final long REJECT_TIMEOUT_MILLIS = 3_000;

    private final BrokerClient broker;

    public WorkspaceClient(BrokerClient broker) {
        this.broker = broker;
    }

    /** The workspace's broker as the environment and the client config file describe it. */
    public static WorkspaceClient fromEnvironment(Map<String, String> env, PrintStream err)
            throws BrokerConfigException {
        return new WorkspaceClient(new BrokerClient(BrokerConfig.forWorkspace(env), err));
    }

    private BrokerConfig config() {
        return broker.config();
    }

    /** {@code POST /v1/vend}, classified. Never throws for broker or network trouble. */
    public VendResult vend(VendRequest request) {
        if (!config().hasToken()) return new VendResult.Failed("no_token", ErrorMessages.noToken(), true);
        BrokerClient.Response response;
        try {
            response = broker.send("POST", "/v1/vend", request.toJson());
        } catch (BrokerUnreachableException e) {
            return new VendResult.Failed("unreachable", e.getMessage(), false);
        }
        if (response.ok()) return granted(response);
        BrokerError error = BrokerError.of(response);
        String message = ErrorMessages.forError(error, request.subject(), request.provider());
        if (response.status() == 404 && error.is("unknown_host")) return new VendResult.NotOurs(message);
        boolean definitive = !(RetryClassifier.isRetryableStatus(response.status()) || response.status() >= 500);
        return new VendResult.Failed(
                error.code() == null ? "http_" + response.status() : error.code(), message, definitive);
    }

    private VendResult granted(BrokerClient.Response response) {
        try {
            Map<String, Object> body = MiniJson.parseObject(response.body());
            String username = MiniJson.string(body, "username");
            String password = MiniJson.string(body, "password");
            Object expiry = body.get("password_expiry_utc");
            if (username == null
                    || password == null
                    || password.isEmpty()
                    || expiry != null && !(expiry instanceof Long)) {
                return badResponse("the credential lacks a username or password");
            }
            broker.redactor().register(password);
            return new VendResult.Granted(
                    MiniJson.string(body, "provider"),
                    MiniJson.string(body, "kind"),
                    MiniJson.string(body, "host"),
                    username,
                    password,
                    (Long) expiry);
        } catch (MiniJson.JsonException e) {
            return badResponse("the answer is not JSON");
        }
    }

    private VendResult badResponse(String what) {
        return new VendResult.Failed("bad_response", ErrorMessages.notAuthrelay(config().endpoint(), what), true);
    }

    /** {@code POST /v1/vend/reject}, best effort with a short deadline; true when the broker took it. */
    public boolean reject(VendRequest request) {
        if (!config().hasToken()) return false;
        try {
            long deadline = Math.min(REJECT_TIMEOUT_MILLIS, config().timeoutMillis());
            return broker.send("POST", "/v1/vend/reject", request.toRejectJson(), deadline)
                    .ok();
        } catch (BrokerUnreachableException e) {
            return false;
        }
    }

    /**
     * {@code POST /v1/deliver}: the provider's credential as environment variables and files, checked by
     * {@link Delivery#parse}. Every delivered value is registered with the redactor before it is returned.
     *
     * @throws BrokerException the broker refused (with its {@link BrokerError}), or its answer was refused (without)
     */
    public Delivery deliver(String provider) throws BrokerUnreachableException, BrokerException {
        if (!config().hasToken()) throw new BrokerException(ErrorMessages.noToken(), null);
        BrokerClient.Response response =
                broker.send("POST", "/v1/deliver", MiniJson.write(Map.of("provider", provider)));
        if (!response.ok()) {
            BrokerError error = BrokerError.of(response);
            throw new BrokerException(ErrorMessages.forError(error, "provider " + provider, provider), error);
        }
        Delivery delivery;
        try {
            delivery = Delivery.parse(response.body());
        } catch (Delivery.Refused e) {
            throw refusedDelivery(provider, e.getMessage());
        }
        if (!delivery.provider().equals(provider)) throw refusedDelivery(provider, "it is for another provider");
        delivery.env().values().forEach(broker.redactor()::register);
        delivery.files().forEach(file -> broker.redactor().register(file.content()));
        return delivery;
    }

    /**
     * {@code POST /v1/deliver/relay}, for {@code exec --relay}: what points the provider's CLI at the broker's relay
     * ({@code AUTHRELAY_URL/relay/api/PROVIDER}) with this workspace's token as its credential. The broker checks the
     * grant and sends templates, no token; they are filled in here ({@link RelayTemplates}): {@code {{relay_url}}},
     * {@code {{workspace_token}}}, {@code {{broker_url}}}, {@code {{now_rfc3339}}}, {@code {{ca_file}}} (the broker's
     * private CA, or empty) and {@code {{relay_home}}}, where the files the CLI reads are written for this run.
     *
     * @return the variables to set
     * @throws BrokerException the broker refused, its answer was refused, or the broker is not reached over https
     * @throws IOException     the files could not be written
     */
    Map<String, String> relayVariables(String provider, RelayHome home, String caFile)
            throws BrokerUnreachableException, BrokerException, IOException {
        if (!config().hasToken()) throw new BrokerException(ErrorMessages.noToken(), null);
        String base =
                config().endpoint() instanceof BrokerEndpoint.Url u ? u.url().toString() : "";
        if (!base.startsWith("https://")) {
            throw new BrokerException(
                    ErrorMessages.PREFIX + "--relay needs AUTHRELAY_URL to be the broker's https:// address", null);
        }
        BrokerClient.Response response =
                broker.send("POST", "/v1/deliver/relay", MiniJson.write(Map.of("provider", provider)));
        if (!response.ok()) {
            BrokerError error = BrokerError.of(response);
            throw new BrokerException(ErrorMessages.forError(error, "provider " + provider, provider), error);
        }
        String brokerUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        Delivery relay;
        try {
            Delivery templates = Delivery.parse(response.body());
            if (!templates.provider().equals(provider)) throw refusedDelivery(provider, "it is for another provider");
            Map<String, String> values = Map.of(
                    "relay_url",
                    brokerUrl + "/relay/api/" + provider,
                    "workspace_token",
                    config().token(),
                    "broker_url",
                    brokerUrl,
                    "now_rfc3339",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    "ca_file",
                    caFile == null ? "" : caFile,
                    "relay_home",
                    templates.files().isEmpty() ? "" : home.of(provider).toString());
            relay = RelayTemplates.fill(templates, values);
        } catch (Delivery.Refused e) {
            throw refusedDelivery(provider, e.getMessage());
        }
        if (!relay.files().isEmpty()) home.write(provider, relay.files());
        return relay.env();
    }

    private static BrokerException refusedDelivery(String provider, String why) {
        return new BrokerException(
                ErrorMessages.PREFIX + "refusing what the broker delivered for " + ErrorMessages.clean(provider) + ": "
                        + why,
                null);
    }

    /** {@code GET /v1/workspace}. */
    public WorkspaceInfo workspace() throws BrokerUnreachableException, BrokerException {
        if (!config().hasToken()) throw new BrokerException(ErrorMessages.noToken(), null);
        BrokerClient.Response response = broker.send("GET", "/v1/workspace", null);
        if (!response.ok()) {
            BrokerError error = BrokerError.of(response);
            throw new BrokerException(ErrorMessages.forError(error, "this workspace", null), error);
        }
        try {
            return WorkspaceInfo.parse(response.body());
        } catch (MiniJson.JsonException e) {
            throw new BrokerException(ErrorMessages.notAuthrelay(config().endpoint(), "not JSON"), null);
        }
    }
}
