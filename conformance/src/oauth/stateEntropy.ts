// Estimates how many bits of randomness a set of `state` values apparently carries: the part that
// varies (a prefix or suffix shared by every value does not count), times the bits per character of
// the smallest alphabet that spells it.

function sharedPrefixLength(values: readonly string[]): number {
  let length = 0;
  const [first = ''] = values;
  while (length < first.length && values.every((value) => value[length] === first[length])) {
    length += 1;
  }
  return length;
}

const reversed = (value: string) => [...value].reverse().join('');

function bitsPerCharacter(text: string): number {
  if (/^[0-9]*$/.test(text)) return Math.log2(10);
  if (/^[0-9a-f]*$/.test(text) || /^[0-9A-F]*$/.test(text)) return 4;
  if (/^[A-Za-z0-9]*$/.test(text)) return Math.log2(62);
  if (/^[A-Za-z0-9+/_=-]*$/.test(text)) return 6;
  return Math.log2(94);
}

/** The apparent entropy, in bits, of each value. */
export function apparentEntropyBits(values: readonly string[]): number[] {
  const prefix = values.length > 1 ? sharedPrefixLength(values) : 0;
  const suffix = values.length > 1 ? sharedPrefixLength(values.map(reversed)) : 0;
  return values.map((value) => {
    const varying = value.slice(prefix, Math.max(prefix, value.length - suffix)).replace(/=+$/, '');
    return varying.length * bitsPerCharacter(varying);
  });
}
