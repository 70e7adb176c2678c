package io.tessera.executor.handler;

import io.tessera.core.model.JobDefinition;
import io.tessera.core.validation.Check;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Handlers by name. Safe to use from any thread, before or after the agent starts. */
public final class HandlerRegistry {

    private final ConcurrentMap<String, ShardHandler> handlers = new ConcurrentHashMap<>();

    public HandlerRegistry register(String name, ShardHandler handler) {
        Check.name("handler", name);
        if (JobDefinition.COMMAND_HANDLER.equals(name)) {
            throw new IllegalArgumentException("'" + name + "' is the built-in command handler; it is enabled by configuration");
        }
        if (handler == null) {
            throw new IllegalArgumentException("handler '" + name + "' is null");
        }
        if (handlers.putIfAbsent(name, handler) != null) {
            throw new IllegalArgumentException("a handler named '" + name + "' is already registered");
        }
        return this;
    }

    /** Registers every {@link TesseraHandler} method of {@code bean}; returns their names. */
    public List<String> registerAnnotated(Object bean) {
        List<String> names = new ArrayList<>();
        for (Method method : bean.getClass().getMethods()) {
            TesseraHandler annotation = method.getAnnotation(TesseraHandler.class);
            if (annotation != null) {
                register(annotation.value(), adapt(bean, method));
                names.add(annotation.value());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(bean.getClass().getName() + " has no public @TesseraHandler method");
        }
        return names;
    }

    public boolean unregister(String name) {
        return handlers.remove(name) != null;
    }

    public Optional<ShardHandler> find(String name) {
        return Optional.ofNullable(name == null ? null : handlers.get(name));
    }

    public Set<String> names() {
        return Set.copyOf(handlers.keySet());
    }

    private static ShardHandler adapt(Object bean, Method method) {
        Class<?>[] params = method.getParameterTypes();
        boolean takesContext = params.length == 1 && params[0] == ShardContext.class;
        if (Modifier.isStatic(method.getModifiers()) || !(params.length == 0 || takesContext)) {
            throw new IllegalArgumentException(method + ": a @TesseraHandler method is an instance method taking"
                    + " no argument or one ShardContext");
        }
        return context -> {
            Object value;
            try {
                value = takesContext ? method.invoke(bean, context) : method.invoke(bean);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
            if (value instanceof HandlerResult result) {
                return result;
            }
            return HandlerResult.succeeded(value == null ? "" : value.toString());
        };
    }
}
