package org.recon4d.op;

import java.util.Arrays;

/**
 * A linear map {@code A : R^n -> R^m} between flat float vectors, with its exact adjoint.
 * <p>
 * Vectors are host {@code float[]} in ImgLib2 order (first axis fastest). Shapes are given in the
 * same order ({@code domainShape()[0]} varies fastest). Implementations are immutable values: a
 * different mask or angle set is a different operator.
 * <p>
 * Contract: {@code <A x, y> = <x, A* y>} up to float rounding; {@link Operators#adjointError}
 * measures it and {@code OperatorsTest} runs it over every operator.
 */
public interface LinearOperator {

	/** Shape of x (first axis fastest). */
	long[] domainShape();

	/** Shape of y = A x (first axis fastest). */
	long[] rangeShape();

	/** y = A x; {@code y} is overwritten. */
	void apply(float[] x, float[] y);

	/** x = A* y; {@code x} is overwritten. */
	void adjoint(float[] y, float[] x);

	/** A short name for logs and test reports. */
	default String name() {
		return getClass().getSimpleName();
	}

	default int domainSize() {
		return Math.toIntExact(Operators.product(domainShape()));
	}

	default int rangeSize() {
		return Math.toIntExact(Operators.product(rangeShape()));
	}

	default float[] apply(final float[] x) {
		checkLength("domain", x, domainSize());
		final float[] y = new float[rangeSize()];
		apply(x, y);
		return y;
	}

	default float[] adjoint(final float[] y) {
		checkLength("range", y, rangeSize());
		final float[] x = new float[domainSize()];
		adjoint(y, x);
		return x;
	}

	/** The adjoint as an operator: A*. Its adjoint is this operator again. */
	default LinearOperator adjointOperator() {
		return Operators.adjointOf(this);
	}

	/** The normal operator A* A (domain to domain). */
	default LinearOperator normal() {
		return Operators.compose(adjointOperator(), this);
	}

	/** this o inner: x -> this(inner(x)); shapes are checked now. */
	default LinearOperator compose(final LinearOperator inner) {
		return Operators.compose(this, inner);
	}

	default LinearOperator scale(final double s) {
		return Operators.scale(this, s);
	}

	private static void checkLength(final String what, final float[] v, final int n) {
		if (v.length != n) throw new IllegalArgumentException(what + " vector has " + v.length +
			" elements, operator expects " + n);
	}

	static String shapeString(final long[] s) {
		return Arrays.toString(s);
	}
}
