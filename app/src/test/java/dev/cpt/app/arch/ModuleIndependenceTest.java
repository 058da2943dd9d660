package dev.cpt.app.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.cpt.archfixture.ingest.LeakyIngest;
import dev.cpt.archfixture.trainer.TrainerInternals;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ingest, trainer and monitor talk through Kafka topics and the checkpoint store only: none of
 * them may import another, and core imports none of cpt's parts. Checked on the compiled classes
 * (ArchUnit) and on the module POMs.
 */
class ModuleIndependenceTest {

    private static final List<String> PARTS = List.of("ingest", "trainer", "monitor");

    static ArchRule partsDoNotDependOnEachOther(String base) {
        return slices().matching(base + ".(ingest|trainer|monitor)..").should().notDependOnEachOther()
                .allowEmptyShould(true);
    }

    static ArchRule partsDependOnlyOnCore(String base) {
        return noClasses().that().resideInAnyPackage(base + ".ingest..", base + ".trainer..", base + ".monitor..")
                .should().dependOnClassesThat().resideInAnyPackage(base + ".app..", base + ".broker..")
                .allowEmptyShould(true);
    }

    static ArchRule coreDependsOnNoPart(String base) {
        return noClasses().that().resideInAPackage(base + ".core..")
                .should().dependOnClassesThat().resideInAnyPackage(base + ".ingest..", base + ".trainer..",
                        base + ".monitor..", base + ".app..", base + ".broker..");
    }

    @Test
    void shouldKeepIngestTrainerAndMonitorIndependentInCompiledCode() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cpt");

        partsDoNotDependOnEachOther("dev.cpt").check(classes);
        partsDependOnlyOnCore("dev.cpt").check(classes);
        coreDependsOnNoPart("dev.cpt").check(classes);
    }

    @Test
    void shouldCatchAPartImportingAnother() {
        JavaClasses leaky = new ClassFileImporter().importClasses(LeakyIngest.class, TrainerInternals.class);

        assertThatThrownBy(() -> partsDoNotDependOnEachOther("dev.cpt.archfixture").check(leaky))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("LeakyIngest")
                .hasMessageContaining("TrainerInternals");
    }

    @Test
    void shouldDeclareOnlyCoreAsCompileDependencyOfEachPart() throws Exception {
        Path root = Path.of(System.getProperty("cpt.repo.root", ".."));
        Pattern dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
        for (String part : PARTS) {
            String pom = Files.readString(root.resolve(part).resolve("pom.xml"));
            List<String> ours = new ArrayList<>();
            Matcher m = dependency.matcher(pom);
            while (m.find()) {
                String d = m.group(1);
                boolean test = d.contains("<scope>test</scope>");
                Matcher a = Pattern.compile("<artifactId>cpt-([a-z]+)</artifactId>").matcher(d);
                if (a.find() && !test) {
                    ours.add(a.group(1));
                }
            }
            assertThat(ours).as("cpt modules that %s/pom.xml depends on outside tests", part).containsExactly("core");
        }
    }
}
