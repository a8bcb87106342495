package io.asyncbench.virtualthreads;

import io.asyncbench.api.Availability;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ClassFileFormatVersion;
import java.lang.reflect.InvocationTargetException;

/**
 * A class of this module compiled with {@code javac --enable-preview --release N}: its class file
 * is marked as depending on the preview features of JDK N (minor version 0xFFFF), and a JVM loads
 * it only if it is JDK N and was started with {@code --enable-preview}. Anywhere else loading it
 * throws {@link UnsupportedClassVersionError}, so it is named here by a string, never linked.
 *
 * @param name the binary name of the class
 */
record PreviewClass(String name) {

    /** The minor version javac writes into a class file that uses preview features. */
    static final int PREVIEW_MINOR = 0xFFFF;
    /** Class file major version 45 is JDK 1.1, 69 is JDK 25. */
    private static final int MAJOR_OF_JDK_1 = 44;

    /**
     * Whether a JVM of this JDK started with {@code --enable-preview} can load the class: yes if
     * this one can; else whether it failed only for want of that option. Never throws.
     */
    Availability availability() {
        int[] version;
        try (InputStream in = PreviewClass.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                return Availability.unavailable(name + " is not on the class path: the build compiles it"
                        + " only on the JDK whose preview API it uses (-Dasyncbench.preview.skip skips it)");
            }
            DataInputStream header = new DataInputStream(in);
            header.readInt(); // 0xCAFEBABE
            version = new int[] {header.readUnsignedShort(), header.readUnsignedShort()};
        } catch (IOException e) {
            return Availability.unavailable(e);
        }
        LinkageError failure = null;
        try {
            Class.forName(name, false, PreviewClass.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Availability.unavailable(e);
        } catch (LinkageError e) {
            failure = e;
        }
        return decide(version[0], version[1], ClassFileFormatVersion.latest().major(), failure);
    }

    /**
     * The answer for a class file of version {@code major.minor} in a JVM whose newest class file
     * version is {@code runtimeMajor}, where loading it failed with {@code failure} (null: it
     * loaded).
     */
    static Availability decide(int minor, int major, int runtimeMajor, LinkageError failure) {
        if (failure == null) {
            return Availability.availableHere();
        }
        boolean onlyThePreviewFlagMissing = failure instanceof UnsupportedClassVersionError
                && minor == PREVIEW_MINOR && major == runtimeMajor;
        if (onlyThePreviewFlagMissing) {
            return Availability.availableHere(); // in a JVM started with --enable-preview
        }
        String needs = minor == PREVIEW_MINOR ? "needs --enable-preview on JDK " + (major - MAJOR_OF_JDK_1)
                : "cannot load";
        return Availability.unavailable(needs + " (this is JDK " + Runtime.version().feature() + "): "
                + failure);
    }

    /**
     * A new instance, made by its constructor taking {@code parameterType}.
     *
     * @throws IllegalStateException saying what the JVM lacks when the class cannot load here
     */
    <T> T newInstance(Class<T> type, Class<?> parameterType, Object argument) {
        try {
            return Class.forName(name, true, PreviewClass.class.getClassLoader()).asSubclass(type)
                    .getDeclaredConstructor(parameterType).newInstance(argument);
        } catch (LinkageError e) {
            throw new IllegalStateException(name + " uses a preview API: it needs a JVM of the JDK it was"
                    + " built for started with --enable-preview (asyncbench serve and run start it so): " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot make a " + name, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + name, e);
        }
    }
}
