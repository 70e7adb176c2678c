package io.tessera.executor.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as the handler of that name, for {@link HandlerRegistry#registerAnnotated(Object)}.
 * The method takes no argument or one {@link ShardContext}; it returns a {@link HandlerResult},
 * or anything else (including void), which means success with that value as the message.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TesseraHandler {

    String value();
}
