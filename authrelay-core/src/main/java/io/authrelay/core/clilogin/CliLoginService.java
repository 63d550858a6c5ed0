package io.authrelay.core.clilogin;

import io.authrelay.core.DomainException;
import io.authrelay.core.Ids;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.ConnectionWriter;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.login.LoginSession;
import io.authrelay.core.login.LoginSessionRepository;
import io.authrelay.core.login.LoginStatus;
import io.authrelay.core.oauth.Identity;
import io.authrelay.core.oauth.TokenSet;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logins through an AI CLI's own sign-in: a session is written first, then the CLI runs on this replica and reports
 * what it printed (shown to the user like a device code), relayed input goes back into it, and a credential file it
 * wrote is sealed once it succeeded. A session whose run is gone (the daemon died) ends failed at the next start.
 */
public final class CliLoginService implements CliRunEvents {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

    private final ServiceContext context;
    private final LoginSessionRepository sessions;
    private final CredentialRepository credentials;
    private final ConnectionWriter writer;
    private final CredentialRefresher refresher;
    private final CliDrivers drivers;
    private final CliRunPort runs;
    private final RunOwners owners;
    /** What each running login expects from the user; runs live in this process, so this does too. */
    private final Map<String, String> inputs = new ConcurrentHashMap<>();
    /** Runs waiting for a machine-wide lock (codex's port 1455), and how many are ahead of each. */
    private final Map<String, Integer> queued = new ConcurrentHashMap<>();

    public CliLoginService(
            ServiceContext context,
            LoginSessionRepository sessions,
            CredentialRepository credentials,
            ConnectionWriter writer,
            CredentialRefresher refresher,
            CliDrivers drivers,
            CliRunPort runs,
            RunOwners owners) {
        this.context = context;
        this.sessions = sessions;
        this.credentials = credentials;
        this.writer = writer;
        this.refresher = refresher;
        this.drivers = drivers;
        this.runs = runs;
        this.owners = owners;
    }

    /**
     * @param modeName null for the provider's mode
     * @param apiKey the key for api-key modes (read from stdin by the caller, never argv), else null
     */
    /** Whether {@code providerName} is an AI-CLI provider, whose logins this service runs. */
    public boolean handles(String providerName) {
        return context.providers()
                .find(providerName)
                .filter(p -> p.kind() == ProviderKind.CLI_LOGIN)
                .isPresent();
    }

    public LoginService.Started start(String providerName, String modeName, boolean force, Secret apiKey, Actor actor) {
        Provider provider = cliProvider(providerName);
        CliDriver driver = driverOf(provider);
        String name = modeName == null ? provider.cli().mode() : modeName;
        LoginMode mode = driver.modes().get(name);
        if (mode == null) {
            throw DomainException.invalid(
                    "unknown_login_mode",
                    driver.type() + " has no login mode '" + name + "'",
                    "modes: " + String.join(", ", new TreeSet<>(driver.modes().keySet())));
        }
        boolean keyMode = LoginMode.INPUT_API_KEY.equals(mode.input());
        if (keyMode != (apiKey != null)) {
            throw DomainException.invalid(
                    keyMode ? "api_key_required" : "unexpected_api_key",
                    keyMode ? "the " + name + " mode needs the API key on stdin" : "only api-key modes take a key",
                    keyMode ? "pipe it in: authrelay login " + providerName + " --mode " + name + " < keyfile" : null);
        }
        var pending = sessions.findActive(providerName);
        if (pending.isPresent()) return new LoginService.Started(pending.get(), true);
        if (!force) LoginService.requireNotConnected(credentials, providerName);

        Instant now = now();
        Duration timeout = mode.timeout() == null ? DEFAULT_TIMEOUT : mode.timeout();
        LoginSession session = new LoginSession(
                Ids.random("ls_"),
                providerName,
                LoginStatus.PENDING,
                null,
                null,
                null,
                now.plus(timeout),
                Duration.ZERO,
                null,
                0,
                0,
                null,
                null,
                null,
                now,
                now);
        boolean inserted = context.tx().inTransaction(() -> {
            if (!sessions.insertIfNoneActive(session)) return false;
            // Also for a key stored at once: until it is, the sweep for dead replicas' runs must leave it alone.
            owners.claim(session.id());
            context.timeline()
                    .record(
                            session.id(),
                            providerName,
                            now,
                            "started",
                            null,
                            null,
                            driver.type() + " " + name + " login");
            context.audit().append(now, actor, "login.start", providerName, AuditLog.OK, "session " + session.id());
            return true;
        });
        if (!inserted) return new LoginService.Started(LoginService.activeAfterRace(sessions, providerName), true);
        if (mode.storesKeyDirectly()) {
            succeeded(session.id(), new CapturedCredential(CliDriver.API_KEY, apiKey, null, null, null, null));
        } else {
            inputs.put(session.id(), mode.input());
            runs.start(new CliRunPort.CliRunRequest(session.id(), providerName, driver, name, mode), apiKey, this);
        }
        return new LoginService.Started(sessions.find(session.id()).orElseThrow(), false);
    }

    /**
     * Relays the user's answer (a pasted code or the browser's final URL) into the run.
     *
     * @param fromAgent true when it comes through MCP, which the provider must allow
     */
    public void input(String sessionId, Secret input, boolean fromAgent, Actor actor) {
        LoginSession session = activeSession(sessionId);
        Provider provider = cliProvider(session.provider());
        if (fromAgent && !provider.cli().mcpInput()) {
            throw DomainException.forbidden(
                    "mcp_input_disabled",
                    "login input through MCP is off for " + provider.name()
                            + ": an agent could paste a code for someone else's account",
                    "type it yourself: authrelay login input " + sessionId
                            + " (or enable it: authrelay provider add ... --mcp-input)");
        }
        if (!isOneLine(input.value())) {
            throw DomainException.invalid(
                    "input_not_one_line",
                    "login input must be one line of text without control characters",
                    "paste only the code or URL the login asks for");
        }
        Instant now = now();
        switch (runs.input(sessionId, input)) {
            case CliRunPort.InputResult.Sent sent -> {
                context.timeline()
                        .record(sessionId, session.provider(), now, "input", null, "sent", "by " + actor.name());
                context.audit()
                        .append(now, actor, "login.input", session.provider(), AuditLog.OK, "session " + sessionId);
            }
            case CliRunPort.InputResult.Refused refused -> {
                context.timeline()
                        .record(sessionId, session.provider(), now, "input", null, "refused", refused.reason());
                context.audit()
                        .append(now, actor, "login.input", session.provider(), AuditLog.DENIED, refused.reason());
                throw DomainException.invalid(
                        "input_refused", refused.reason(), "paste the whole final URL of this login");
            }
            case CliRunPort.InputResult.NoRun none -> throw notRunningHere(session);
        }
    }

    /** Input reached a replica without the run: say where the run is, or end a login whose run is gone. */
    private DomainException notRunningHere(LoginSession session) {
        var owner = owners.ownerOf(session.id());
        if (owner.isPresent() && !owner.get().self() && owner.get().alive()) {
            String address = owner.get().address();
            return DomainException.conflict(
                    "login_runs_elsewhere",
                    "login " + session.id() + " runs its CLI on replica "
                            + owner.get().replica() + (address == null ? "" : " at " + address),
                    address == null
                            ? "send the input to that replica (give each replica --advertise-url to have it named here)"
                            : "send it there: AUTHRELAY_URL=" + address + " authrelay login input " + session.id());
        }
        String reason = orphanReason(owner);
        finish(session.id(), LoginStatus.FAILED, reason, null);
        return DomainException.conflict(
                "no_login_run",
                "login " + session.id() + " has no running CLI: " + reason,
                "start it again: authrelay login " + session.provider());
    }

    /**
     * Whether a pasted value is one line of text. It is typed into the CLI, whose terminal acts on control characters
     * (^C interrupts, ^U erases, ESC starts a key sequence a TUI reads as arrows and Enter): such a value would be
     * keystrokes, not a code.
     */
    static boolean isOneLine(String value) {
        return !value.isEmpty()
                && value.chars()
                        .noneMatch(c -> Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029');
    }

    /** What a running CLI login waits for from the user: none, paste, callback_url or api_key; empty when no run. */
    public Optional<String> inputOf(String sessionId) {
        return Optional.ofNullable(inputs.get(sessionId));
    }

    /** How many logins are ahead of this one for a machine-wide lock; empty when it is not waiting. */
    public Optional<Integer> queuePosition(String sessionId) {
        return Optional.ofNullable(queued.get(sessionId));
    }

    /** Releases a credential held back because it signed in as another account than before. */
    public Credential confirmAccount(String providerName, Actor actor) {
        Credential held = credentials
                .find(providerName)
                .filter(c -> c.state() == CredentialState.UNCONFIRMED_ACCOUNT)
                .orElseThrow(() -> DomainException.conflict(
                        "nothing_to_confirm", providerName + " has no credential waiting for confirmation", null));
        Instant now = now();
        context.tx().inTransaction(() -> {
            if (!credentials.compareAndSet(held.inState(CredentialState.CONNECTED, now), held.version()))
                throw DomainException.conflict(
                        "credential_changed", providerName + " changed meanwhile; try again", null);
            context.audit().append(now, actor, "credential.confirm_account", providerName, AuditLog.OK, held.account());
            return null;
        });
        return credentials.find(providerName).orElseThrow();
    }

    /**
     * Ends failed the logins whose run died with its replica (at start-up: with the previous daemon), so none stays
     * pending forever. A run of this replica reports its own end; a live replica's run is left to it.
     */
    public int failOrphans() {
        int failed = 0;
        // One active login per provider (a unique index): a lookup per AI-CLI provider, so this sweep, which runs every
        // few seconds, stays cheap however many device-flow logins are pending.
        List<LoginSession> cliSessions = context.providers().list().stream()
                .filter(p -> p.kind() == ProviderKind.CLI_LOGIN)
                .flatMap(p -> sessions.findActive(p.name()).stream())
                .toList();
        for (LoginSession session : cliSessions) {
            if (runs.isRunning(session.id())) continue;
            var owner = owners.ownerOf(session.id());
            if (owner.isPresent() && (owner.get().self() || owner.get().alive())) continue;
            finish(session.id(), LoginStatus.FAILED, orphanReason(owner), null);
            failed++;
        }
        return failed;
    }

    private static String orphanReason(Optional<RunOwners.Owner> owner) {
        return owner.map(o -> "the daemon running this CLI login (replica " + o.replica() + ") stopped")
                .orElse("the daemon stopped during the CLI login");
    }

    public void cancel(String sessionId) {
        runs.cancel(sessionId);
    }

    /** Longer than any vendor prints; a longer one is not shown cut (a cut URL or code would be wrong). */
    static final int MAX_URL = 4096;

    static final int MAX_CODE = 64;

    @Override
    public void captured(String sessionId, String code, String url) {
        queued.remove(sessionId); // it printed, so it runs
        sessions.find(sessionId).filter(s -> !s.status().isTerminal()).ifPresent(session -> {
            Instant now = now();
            if ((url != null && url.length() > MAX_URL) || (code != null && code.length() > MAX_CODE)) {
                context.timeline()
                        .record(sessionId, session.provider(), now, "prompt", null, "too_long", "not shown: too long");
                return;
            }
            // One commit, not two: the user waits for this write before seeing the URL.
            context.tx().inTransaction(() -> {
                if (sessions.updateIfActive(session.captured(code, url, now)))
                    context.timeline()
                            .record(
                                    sessionId,
                                    session.provider(),
                                    now,
                                    "prompt",
                                    null,
                                    code == null ? "url" : "code",
                                    null);
                return null;
            });
        });
    }

    @Override
    public void queued(String sessionId, int position) {
        queued.put(sessionId, position);
        sessions.find(sessionId)
                .ifPresent(session -> context.timeline()
                        .record(
                                sessionId,
                                session.provider(),
                                now(),
                                "queued",
                                null,
                                null,
                                "behind " + position + " login(s)"));
    }

    @Override
    public void unsandboxed(String sessionId, String reason) {
        sessions.find(sessionId)
                .ifPresent(session -> context.timeline()
                        .record(sessionId, session.provider(), now(), "sandbox", null, "none", reason));
    }

    @Override
    public void succeeded(String sessionId, CapturedCredential captured) {
        LoginSession session = sessions.find(sessionId).orElse(null);
        if (session == null || session.status().isTerminal()) return;
        Instant now = now();
        String previousAccount =
                credentials.find(session.provider()).map(Credential::account).orElse(null);
        // An unknown account (an API key says none) cannot be told apart, so only two known, different accounts hold it
        // back.
        boolean otherAccount = previousAccount != null
                && captured.account() != null
                && !Objects.equals(previousAccount, captured.account());
        Credential stored = context.tx().inTransaction(() -> {
            if (!sessions.updateIfActive(session.connected(captured.account(), now))) return null;
            Credential credential = writer.connect(
                    session.provider(),
                    new TokenSet(captured.access(), captured.refresh(), captured.expiresAt(), null, null),
                    new Identity(
                            captured.account(),
                            CliDriver.API_KEY.equals(captured.kind()) ? CliDriver.API_KEY_SCOPE : null),
                    now);
            if (captured.file() != null)
                context.secrets().put(SecretRef.credentialFile(session.provider()), captured.file());
            if (otherAccount) {
                credentials.compareAndSet(
                        credential.inState(CredentialState.UNCONFIRMED_ACCOUNT, now), credential.version());
            }
            context.timeline()
                    .record(
                            sessionId,
                            session.provider(),
                            now,
                            "connected",
                            null,
                            captured.kind(),
                            otherAccount ? "held back: another account than before" : null);
            context.audit()
                    .append(
                            now,
                            Actor.system(),
                            "login.connected",
                            session.provider(),
                            AuditLog.OK,
                            "session " + sessionId + (otherAccount ? " (account changed: held until confirmed)" : ""));
            return credential;
        });
        if (stored != null && stored.refreshable() && stored.expiresAt() != null)
            refresher.scheduleAhead(session.provider(), now, stored.expiresAt());
    }

    @Override
    public void failed(String sessionId, String reason) {
        finish(sessionId, LoginStatus.FAILED, reason, "failed");
    }

    @Override
    public void transcript(String sessionId, String redactedTail) {
        if (redactedTail == null || redactedTail.isBlank()) return;
        sessions.find(sessionId)
                .ifPresent(session -> context.timeline()
                        .record(sessionId, session.provider(), now(), "transcript", null, null, redactedTail));
    }

    @Override
    public void ended(String sessionId) {
        inputs.remove(sessionId);
        queued.remove(sessionId);
        owners.release(sessionId);
    }

    private void finish(String sessionId, LoginStatus status, String reason, String code) {
        sessions.find(sessionId).filter(s -> !s.status().isTerminal()).ifPresent(session -> {
            Instant now = now();
            context.tx().inTransaction(() -> {
                if (!sessions.updateIfActive(session.withStatus(status, reason, now))) return null;
                context.timeline().record(sessionId, session.provider(), now, status.wireName(), null, code, reason);
                context.audit()
                        .append(
                                now,
                                Actor.system(),
                                "login." + status.wireName(),
                                session.provider(),
                                AuditLog.FAILED,
                                reason);
                return null;
            });
        });
        owners.release(sessionId);
    }

    private LoginSession activeSession(String sessionId) {
        LoginSession session = sessions.find(sessionId)
                .orElseThrow(() -> DomainException.notFound(
                        "login_not_found",
                        "no login session '" + sessionId + "'",
                        "list logins with: authrelay status"));
        if (session.status().isTerminal()) {
            throw DomainException.conflict(
                    "login_finished",
                    "login " + sessionId + " already ended as "
                            + session.status().wireName(),
                    null);
        }
        return session;
    }

    private Provider cliProvider(String providerName) {
        Provider provider = context.providers().get(providerName);
        if (provider.kind() != ProviderKind.CLI_LOGIN) {
            throw DomainException.invalid(
                    "not_a_cli_provider", "provider '" + providerName + "' is not an AI-CLI provider", null);
        }
        return provider;
    }

    private CliDriver driverOf(Provider provider) {
        return drivers.find(provider.cli().driver())
                .orElseThrow(() -> DomainException.conflict(
                        "unknown_driver",
                        "provider '" + provider.name() + "' uses the driver '"
                                + provider.cli().driver() + "', which this daemon does not have",
                        "check providers.yaml's drivers"));
    }

    private Instant now() {
        return context.clock().instant();
    }
}
