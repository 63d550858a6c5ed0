package io.authrelay.core.clilogin;

import static io.authrelay.core.fake.InMemoryCore.CLI_PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.credential.CredentialState;
import io.authrelay.core.fake.InMemoryCore;
import io.authrelay.core.login.LoginSession;
import io.authrelay.core.login.LoginStatus;
import io.authrelay.core.timeline.TimelineEvent;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import org.junit.jupiter.api.Test;

class CliLoginServiceTest {
    private static final Actor ADMIN = new Actor("admin", "local");
    private static final String URL = "https://vendor.test/oauth/authorize?state=s1";

    private final InMemoryCore core = new InMemoryCore();
    private final CliLoginService logins = core.cliLogins();

    @Test
    void aPasteLoginShowsTheUrlRelaysTheCodeAndSealsWhatTheCliWrote() {
        LoginSession started =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session();
        assertThat(started.status()).isEqualTo(LoginStatus.PENDING);
        assertThat(core.runs.started).singleElement().satisfies(run -> {
            assertThat(run.modeName()).isEqualTo("paste");
            assertThat(run.driver()).isEqualTo(InMemoryCore.CLI_DRIVER);
        });
        assertThat(logins.inputOf(started.id())).contains(LoginMode.INPUT_PASTE);

        core.runs.events.captured(started.id(), null, URL);
        assertThat(session(started.id()).status()).isEqualTo(LoginStatus.AWAITING_USER);
        assertThat(session(started.id()).verificationUri()).isEqualTo(URL);

        logins.input(started.id(), new Secret("CODE#STATE"), false, ADMIN);
        assertThat(core.runs.inputs.get(started.id())).containsExactly("CODE#STATE");
        assertThat(events(started.id())).extracting(TimelineEvent::kind).contains("input");
        assertThat(core.timeline.forSession(started.id(), 50))
                .allSatisfy(e -> assertThat(String.valueOf(e.detail())).doesNotContain("CODE#STATE"));

        core.runs.events.succeeded(started.id(), oauth("access-1", "refresh-1", "me@example.com"));
        assertThat(session(started.id()).status()).isEqualTo(LoginStatus.CONNECTED);
        assertThat(session(started.id()).account()).isEqualTo("me@example.com");
        assertThat(core.stored(SecretRef.credentialAccess(CLI_PROVIDER))).isEqualTo("access-1");
        assertThat(core.stored(SecretRef.credentialRefresh(CLI_PROVIDER))).isEqualTo("refresh-1");
        assertThat(core.stored(SecretRef.credentialFile(CLI_PROVIDER))).isEqualTo("{\"file\":1}");
        assertThat(core.scheduler.refreshAt(CLI_PROVIDER)).isNotNull();
    }

    @Test
    void aQueuedLoginShowsHowManyAreAheadUntilItsCliPrints() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        assertThat(logins.queuePosition(id)).isEmpty();
        core.runs.events.queued(id, 2);
        assertThat(logins.queuePosition(id)).contains(2);
        core.runs.events.captured(id, null, URL);
        assertThat(logins.queuePosition(id)).isEmpty();
    }

    @Test
    void inputFromAnAgentIsRefusedUnlessTheProviderAllowsIt() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        assertThatThrownBy(() -> logins.input(id, new Secret("CODE#STATE"), true, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("mcp_input_disabled"));
        assertThat(core.runs.inputs).isEmpty();

        core.cliProvider(true);
        logins.input(id, new Secret("CODE#STATE"), true, ADMIN);
        assertThat(core.runs.inputs.get(id)).containsExactly("CODE#STATE");
    }

    @Test
    void aRefusedCallbackIsReportedAndRecordedWithoutReachingTheCli() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        core.runs.nextInput = new CliRunPort.InputResult.Refused("the URL's state is not this login's");
        assertThatThrownBy(() -> logins.input(id, new Secret("http://127.0.0.1:1455/cb?state=x"), false, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("input_refused"));
        assertThat(core.runs.inputs).isEmpty();
        assertThat(events(id)).extracting(TimelineEvent::code).contains("refused");
    }

    @Test
    void inputForAFinishedOrUnknownLoginIsRefused() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        core.runs.events.failed(id, "Login failed: invalid code");
        assertThatThrownBy(() -> logins.input(id, new Secret("x#y"), false, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("login_finished"));
        assertThatThrownBy(() -> logins.input("ls_nope", new Secret("x#y"), false, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("login_not_found"));
        assertThat(session(id).reason()).isEqualTo("Login failed: invalid code");
    }

    @Test
    void aLoginAsAnotherAccountIsHeldBackUntilAPersonConfirmsIt() {
        String first =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        core.runs.events.succeeded(first, oauth("access-1", "refresh-1", "me@example.com"));
        String second =
                logins.start(CLI_PROVIDER, null, true, null, ADMIN).session().id();
        core.runs.events.succeeded(second, oauth("access-2", "refresh-2", "attacker@example.com"));

        var refresher = core.refresher();
        assertThat(core.credentials.find(CLI_PROVIDER).orElseThrow().state())
                .isEqualTo(CredentialState.UNCONFIRMED_ACCOUNT);
        assertThatThrownBy(() -> refresher.freshAccessToken(CLI_PROVIDER))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("account_unconfirmed"));

        logins.confirmAccount(CLI_PROVIDER, ADMIN);
        assertThat(refresher.freshAccessToken(CLI_PROVIDER).value()).isEqualTo("access-2");
        assertThatThrownBy(() -> logins.confirmAccount(CLI_PROVIDER, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("nothing_to_confirm"));
    }

    @Test
    void theSameAccountAgainIsNotHeldBack() {
        String first =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        core.runs.events.succeeded(first, oauth("access-1", "refresh-1", "me@example.com"));
        String second =
                logins.start(CLI_PROVIDER, null, true, null, ADMIN).session().id();
        core.runs.events.succeeded(second, oauth("access-2", "refresh-2", "me@example.com"));
        assertThat(core.credentials.find(CLI_PROVIDER).orElseThrow().state()).isEqualTo(CredentialState.CONNECTED);
    }

    @Test
    void anApiKeyIsStoredDirectlyWithoutRunningTheCliAndOnlyInApiKeyModes() {
        LoginSession session = logins.start(CLI_PROVIDER, "api-key", false, new Secret("sk-key"), ADMIN)
                .session();
        assertThat(session.status()).isEqualTo(LoginStatus.CONNECTED);
        assertThat(core.runs.started).isEmpty();
        assertThat(core.stored(SecretRef.credentialAccess(CLI_PROVIDER))).isEqualTo("sk-key");
        assertThat(core.credentials.find(CLI_PROVIDER).orElseThrow().scopes()).isEqualTo(CliDriver.API_KEY_SCOPE);

        assertThatThrownBy(() -> logins.start(CLI_PROVIDER, "api-key", true, null, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("api_key_required"));
        assertThatThrownBy(() -> logins.start(CLI_PROVIDER, "paste", true, new Secret("sk"), ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("unexpected_api_key"));
        assertThatThrownBy(() -> logins.start(CLI_PROVIDER, "browser", true, null, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("unknown_login_mode"));
    }

    @Test
    void aSecondStartJoinsTheRunningLoginAndAConnectedProviderNeedsForce() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        var again = logins.start(CLI_PROVIDER, null, false, null, ADMIN);
        assertThat(again.alreadyPending()).isTrue();
        assertThat(again.session().id()).isEqualTo(id);
        assertThat(core.runs.started).hasSize(1);

        core.runs.events.succeeded(id, oauth("a", "r", "me@example.com"));
        assertThatThrownBy(() -> logins.start(CLI_PROVIDER, null, false, null, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("already_connected"));
    }

    @Test
    void aRunThatDiedWithTheDaemonEndsFailedAtTheNextStart() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        core.runOwners.dies("replica-a");
        CliLoginService afterRestart = new InMemoryCoreRestart(core).cliLogins();
        assertThat(afterRestart.failOrphans()).isEqualTo(1);
        assertThat(session(id).status()).isEqualTo(LoginStatus.FAILED);
        assertThat(session(id).reason()).contains("replica-a").contains("stopped");
        assertThat(afterRestart.failOrphans()).isZero();
        assertThat(core.runOwners.ownerOf(id)).isEmpty();
    }

    @Test
    void aRunOnAnotherLiveReplicaIsLeftToItAndInputIsPointedThere() {
        core.runOwners.replica("replica-a", "http://10.0.0.1:7878");
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        CliLoginService other = new InMemoryCoreRestart(core).cliLogins();

        assertThat(other.failOrphans()).isZero();
        assertThat(session(id).status()).isEqualTo(LoginStatus.PENDING);
        assertThatThrownBy(() -> other.input(id, new Secret("x#y"), false, ADMIN))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("login_runs_elsewhere");
                    assertThat(e.getMessage()).contains("replica-a").contains("http://10.0.0.1:7878");
                    assertThat(e.hint()).contains("AUTHRELAY_URL=http://10.0.0.1:7878");
                });
        assertThat(core.runs.inputs).isEmpty();
        assertThat(session(id).status()).isEqualTo(LoginStatus.PENDING);
    }

    @Test
    void inputThatReachesAReplicaAfterTheOwnerDiedEndsTheLoginFailedInsteadOfHanging() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        core.runOwners.dies("replica-a");
        CliLoginService other = new InMemoryCoreRestart(core).cliLogins();

        assertThatThrownBy(() -> other.input(id, new Secret("x#y"), false, ADMIN))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("no_login_run"));
        assertThat(session(id).status()).isEqualTo(LoginStatus.FAILED);
        assertThat(session(id).reason()).contains("replica-a");
    }

    @Test
    void theOwnerIsForgottenWhenTheRunEnds() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        assertThat(core.runOwners.ownerOf(id)).contains("replica-a");
        core.runs.events.succeeded(id, oauth("a", "r", "me@example.com"));
        core.runs.events.ended(id);
        assertThat(core.runOwners.ownerOf(id)).isEmpty();
    }

    @Test
    void aLateSuccessAfterACancelChangesNothing() {
        String id =
                logins.start(CLI_PROVIDER, null, false, null, ADMIN).session().id();
        core.logins().cancel(id, ADMIN);
        core.runs.events.succeeded(id, oauth("late", "late-r", "me@example.com"));
        assertThat(session(id).status()).isEqualTo(LoginStatus.CANCELLED);
        assertThat(core.credentials.find(CLI_PROVIDER)).isEmpty();
        assertThat(core.stored(SecretRef.credentialAccess(CLI_PROVIDER))).isNull();
    }

    private static CapturedCredential oauth(String access, String refresh, String account) {
        return new CapturedCredential(
                CliDriver.OAUTH,
                new Secret(access),
                new Secret(refresh),
                java.time.Instant.parse("2030-01-01T08:00:00Z"),
                account,
                new Secret("{\"file\":1}"));
    }

    private LoginSession session(String id) {
        return core.sessions.find(id).orElseThrow();
    }

    private java.util.List<TimelineEvent> events(String id) {
        return core.timeline.forSession(id, 50);
    }

    /** The same stores seen by a new daemon: its run port has no runs. */
    private record InMemoryCoreRestart(InMemoryCore core) {
        CliLoginService cliLogins() {
            return new CliLoginService(
                    core.context,
                    core.sessions,
                    core.credentials,
                    core.writer,
                    core.refresher(),
                    type -> java.util.Optional.of(InMemoryCore.CLI_DRIVER),
                    new io.authrelay.core.fake.RecordingRunPort(),
                    core.runOwners.of("replica-b"));
        }
    }
}
