package io.s3dlio.build;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts one class, method, constructor or field from the build's forbidden-API check
 * (build-support/forbidden-apis.txt; README, "Build checks"). Every use says why in {@link #reason()}, and a
 * reviewer reads that reason: the check exists so that {@code System.getenv}, the default locale and the
 * default charset are used only where they are meant to be.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface SuppressForbidden {
    /** Why the forbidden API is right here. */
    String reason();
}
