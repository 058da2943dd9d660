package dev.cpt.core.config;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every registered setting is fully defined: documented, with a valid default that survives a round trip. */
class SettingsCatalogueTest {

    static Stream<Named<Setting<?>>> settings() {
        return Settings.all().stream().map(s -> Named.of(s.key(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void shouldHaveOneLineDoc(Setting<?> s) {
        assertThat(s.doc()).isNotBlank().doesNotContain("\n", "\r").isEqualTo(s.doc().strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldHaveDefaultAcceptedByItsRule(Setting s) {
        assertThat(s.rule().accepts(s.defaultValue())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void shouldRoundTripDefaultThroughFormatAndParse(Setting<?> s) {
        assertThat(s.type().parse(s.formatDefault())).isEqualTo(s.defaultValue());
        assertThat(s.parse(s.formatDefault(), Source.DEFAULT)).isEqualTo(s.defaultValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void shouldBeFoundByItsKey(Setting<?> s) {
        assertThat(Settings.byKey(s.key())).containsSame(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void shouldHaveCptPartSettingKey(Setting<?> s) {
        assertThat(s.key()).matches("cpt(\\.[a-z][a-z0-9-]*){2,}");
    }

    @Test
    void shouldListSettingsSortedByKey() {
        List<String> keys = Settings.all().stream().map(Setting::key).toList();

        assertThat(keys).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldRegisterTheSettingsOfEveryHolder() {
        assertThat(Settings.all()).contains(
                CoreSettings.DATA_DIR, CoreSettings.HTTP_HOST, CoreSettings.HTTP_PORT, CoreSettings.SHUTDOWN_TIMEOUT,
                KafkaSettings.BOOTSTRAP_SERVERS, KafkaSettings.BROKER_PORT, KafkaSettings.CONTROLLER_PORT,
                KafkaSettings.TOPIC_PREFIX, KafkaSettings.TOPIC_PARTITIONS, KafkaSettings.TOPIC_REPLICATION,
                KafkaSettings.TOPIC_RETENTION, KafkaSettings.ADMIN_TIMEOUT);
    }

    @Test
    void shouldGiveEverySettingItsOwnEnvironmentVariable() {
        Set<String> names = Settings.all().stream().map(Setting::envName).collect(Collectors.toSet());

        assertThat(names).hasSameSizeAs(Settings.all());
    }

    @Test
    void shouldNotFindUnregisteredKey() {
        assertThat(Settings.byKey("cpt.kafka.bootstrap.server")).isEmpty();
    }

    @Test
    void shouldReturnAnUnmodifiableList() {
        assertThatThrownBy(() -> Settings.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRefuseToGetUnregisteredSetting() {
        Setting<Integer> other = Setting.of("cpt.test.other", ValueType.INT, 1, "Not registered.");

        assertThatThrownBy(() -> Config.defaults().get(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a registered setting: cpt.test.other");
    }

    @Test
    void shouldDisplayEveryDefaultTheWayTheUserWritesIt() {
        for (Config.Entry e : Config.defaults().entries()) {
            assertThat(e.display()).as(e.setting().key()).isEqualTo(e.setting().secret() ? "***" : e.setting().formatDefault());
        }
    }

    @Test
    void shouldMaskSecretsWhenDisplayed() {
        Setting<String> token = new Setting<>("cpt.test.token", ValueType.STRING, "hunter2", "A test token.", Rule.any(), true);

        assertThat(new Config.Entry(token, "hunter2", Source.DEFAULT).display()).isEqualTo("***");
    }
}
