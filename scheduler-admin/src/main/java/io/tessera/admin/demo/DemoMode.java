package io.tessera.admin.demo;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Demo mode is on with the plain argument {@code --demo} (Spring reads it as property {@code demo}
 * with an empty value) or with {@code tessera.demo=true}.
 */
public final class DemoMode implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return isOn(context.getEnvironment());
    }

    public static boolean isOn(Environment environment) {
        if (environment.getProperty("tessera.demo", Boolean.class, false)) {
            return true;
        }
        String flag = environment.getProperty("demo");
        return flag != null && !"false".equalsIgnoreCase(flag.trim());
    }
}
