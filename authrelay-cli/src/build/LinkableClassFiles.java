import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code java LinkableClassFiles.java JAR}: rewrites JAR's Java 5 class files (major version 49: picocli's) in place as
 * Java 8 class files (52) with stack maps, their code otherwise unchanged. The JDK's AOT cache cannot hold a class of
 * version 49 linked ("Unlinked class not supported by AOTClassLinking"), so the CLI parsed and verified picocli's ~170
 * classes with the old type-inferring verifier on every start, and with them every class of ours that implements a
 * picocli interface (docs/benchmarks.md, "Issue 14: CLI and helpers"). Each rewritten class is checked with the JDK's
 * verifier here, and the JVM verifies the stack maps again as it loads them. A jar with no such class is left alone,
 * so running it twice changes nothing. Run by authrelay-cli's package phase on JDK 24+ (the classfile API).
 */
public final class LinkableClassFiles {
    private static final int JAVA_5 = 49;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".linkable.tmp");
        int count = 0;
        try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                var in = new ZipInputStream(Files.newInputStream(jar));
                var out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
            // stack maps name the common supertype where branches meet: the jar's own classes are read from the jar
            var classFile = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    // a new constant pool makes every method's code be written anew, with its stack maps
                    ClassFile.ConstantPoolSharingOption.NEW_POOL);
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().endsWith(".class")) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() <= JAVA_5) {
                        bytes = linkable(classFile, model);
                        var errors = classFile.verify(bytes);
                        if (!errors.isEmpty()) throw new IllegalStateException(entry.getName() + ": " + errors);
                        count++;
                    }
                }
                var copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (Exception e) {
            Files.deleteIfExists(rewritten);
            throw e;
        }
        if (count == 0) {
            Files.delete(rewritten);
            return;
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("LinkableClassFiles: " + count + " class files of " + jar.getFileName() + " now version 52");
    }

    private static byte[] linkable(ClassFile classFile, ClassModel model) {
        return classFile.build(model.thisClass().asSymbol(), builder -> {
            builder.withVersion(52, 0); // first: the version the methods are written for decides their stack maps
            for (var element : model) {
                if (element instanceof MethodModel method)
                    builder.transformMethod(method, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
                else if (!(element instanceof ClassFileVersion)) builder.with(element);
            }
        });
    }
}
