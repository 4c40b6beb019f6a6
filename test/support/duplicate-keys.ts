/**
 * The keys that appear more than once in one JSON object of `text` (at any depth). JSON.parse
 * keeps the last of repeated keys silently, so this reads the text itself.
 */
export function duplicateKeys(text: string): string[] {
  const duplicates: string[] = [];
  const objects: (Set<string> | undefined)[] = [];
  let index = 0;
  const readString = (): string => {
    let value = '';
    index++;
    while (index < text.length && text[index] !== '"') {
      if (text[index] === '\\') {
        value += text.slice(index, index + 2);
        index += 2;
      } else {
        value += text[index++];
      }
    }
    index++;
    return value;
  };
  while (index < text.length) {
    const char = text[index];
    if (char === '{') {
      objects.push(new Set());
      index++;
    } else if (char === '[') {
      objects.push(undefined);
      index++;
    } else if (char === '}' || char === ']') {
      objects.pop();
      index++;
    } else if (char === '"') {
      const value = readString();
      const current = objects.at(-1);
      // A string directly followed by ':' inside an object is a key.
      let next = index;
      while (text[next] === ' ') next++;
      if (current && text[next] === ':') {
        if (current.has(value)) duplicates.push(value);
        current.add(value);
      }
    } else {
      index++;
    }
  }
  return duplicates;
}
