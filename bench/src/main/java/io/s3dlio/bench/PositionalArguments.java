package io.s3dlio.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A benchmark main's positional arguments, read into a record once: argument i sets component i, and a
 * component with no argument keeps its value in the defaults. So each main declares its arguments, their
 * types and their defaults in one record and one constant, and reads them in one line. Component types: int,
 * long, double, String, and a List of Integer or String (written comma-separated: {@code 1,2,4}). Too many
 * arguments, or one that does not parse, fail with the component's name and the usage.
 */
public final class PositionalArguments {
    private PositionalArguments() {}

    /** {@code args} over {@code defaults}. */
    public static <R extends Record> R parse(String[] args, R defaults) {
        @SuppressWarnings("unchecked") // getClass() of an R is a Class<? extends R>; records are final, so it is R's
        Class<R> type = (Class<R>) defaults.getClass();
        RecordComponent[] components = type.getRecordComponents();
        if (args.length > components.length) {
            throw new IllegalArgumentException(args.length + " arguments, at most " + components.length
                    + " expected; usage: " + usage(components));
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                types[i] = component.getType();
                if (i < args.length) {
                    values[i] = value(component, args[i], components);
                } else {
                    Method accessor = component.getAccessor();
                    accessor.setAccessible(true); // a main's record is usually private
                    values[i] = accessor.invoke(defaults);
                }
            }
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            if (e instanceof InvocationTargetException thrown && thrown.getCause() instanceof RuntimeException cause) {
                throw cause; // the record's own validation
            }
            throw new IllegalStateException(type.getName() + " could not be built from " + Arrays.toString(args), e);
        }
    }

    private static Object value(RecordComponent component, String text, RecordComponent[] components) {
        Class<?> type = component.getType();
        try {
            if (type == List.class) {
                Type element = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
                List<String> items = List.of(text.split(","));
                if (element == Integer.class) {
                    return items.stream().map(item -> Integer.valueOf(item.strip())).toList();
                }
                if (element == String.class) {
                    return items;
                }
            } else if (type == int.class) {
                return Integer.parseInt(text);
            } else if (type == long.class) {
                return Long.parseLong(text);
            } else if (type == double.class) {
                return Double.parseDouble(text);
            } else if (type == String.class) {
                return text;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument " + component.getName() + " '" + text + "' does not parse as "
                    + component.getGenericType().getTypeName() + "; usage: " + usage(components), e);
        }
        throw new IllegalStateException("argument " + component.getName() + " has a type positional arguments do"
                + " not read: " + component.getGenericType().getTypeName());
    }

    private static String usage(RecordComponent[] components) {
        return Arrays.stream(components).map(c -> "[" + c.getName() + "]").collect(Collectors.joining(" "));
    }
}
