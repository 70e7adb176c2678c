package io.tessera.admin.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * Prints every property's seed before it starts, so that a failure (or a hang) can be replayed.
 * A property without a fixed seed gets a new random one on every run, or the one given in
 * {@value #SEED} to replay a run: {@code -Dtessera.fuzz.seed=<seed>}. {@value #TRIES} overrides
 * the number of tries, for a quick local run or a long hunt; the suite asserts its 10,000 requests
 * only at the default.
 */
public final class FuzzSeeds implements AroundPropertyHook {

    static final String SEED = "tessera.fuzz.seed";
    static final String TRIES = "tessera.fuzz.tries";

    /** Registered on the suite's class, it applies to each of its properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (context.targetMethod().getParameterCount() == 0) {
            return property.execute(); // an example: nothing is generated
        }
        Optional<String> fixed = context.attributes().seed();
        String given = System.getProperty(SEED, "").trim();
        String seed = fixed.orElse(given.isEmpty() ? Long.toString(new SecureRandom().nextLong()) : given);
        context.attributes().setSeed(seed);
        Integer tries = Integer.getInteger(TRIES);
        if (tries != null) {
            context.attributes().setTries(tries);
        }
        String kind = fixed.isPresent() ? "fixed" : given.isEmpty() ? "random" : "given";
        String line = "fuzz: " + context.label() + " runs with " + kind + " seed " + seed
                + (fixed.isPresent() ? "" : " (replay: -D" + SEED + "=" + seed + ")");
        System.out.println(line);
        FuzzReport.line(line);
        return property.execute();
    }
}
