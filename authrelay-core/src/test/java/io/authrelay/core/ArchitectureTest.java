package io.authrelay.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core stays easy to change: its packages depend on each other one way only, and on nothing but the JDK. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.authrelay.core");

    @Test
    void corePackagesAreFreeOfCycles() {
        slices().matching("io.authrelay.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void coreImportsNothingOutsideTheJdk() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                // javax.crypto is the JDK's own HMAC (refresh tickets), not a framework
                .resideInAnyPackage("io.authrelay.core..", "java..", "javax.crypto..")
                .check(CORE);
    }
}
