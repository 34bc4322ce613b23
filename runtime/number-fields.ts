/**
 * Number fields that come to hold numbers beyond V8's small integers (signed 32-bit integers in
 * Node.js's V8: unsigned 32-bit guest addresses past 2^31, guest nanoseconds, instruction counts,
 * results of arithmetic on doubles) start as doubles.
 *
 * V8 first keeps a field that holds small integers as such. The first larger number stored in it
 * changes the field's representation: that retires the hidden class of every object with the
 * field and deoptimizes every function V8 optimized for them. For the CPU that is hundreds of
 * functions at once (the dispatcher, tier-1 handlers, compiled blocks), once for each such field,
 * as Linux first runs at its high addresses; V8 then optimizes them all again. A field made a
 * double while its object is built changes nothing that was optimized, and later stores of small
 * integers keep it a double.
 *
 * Fields that code V8 has not optimized reads often stay small integers instead: such code boxes
 * a double at every load (`CpuState.icRel`).
 */
export function startAsDoubles(o: object, ...names: readonly string[]): void {
  const fields = o as Record<string, unknown>;
  for (const name of names) {
    const v = fields[name];
    if (typeof v !== 'number') throw new Error(`startAsDoubles: ${name} is not a number field`);
    fields[name] = 0.5;
    fields[name] = v;
  }
}
