import { isLetter, isLower, isNumber, isPunct, isSpace, isTitle, isUpper, mapRunes, toLowerRune, toTitleRune, toUpperRune } from './text.js';

/**
 * The case functions Sprig takes from huandu/xstrings v1.5.0 (snakecase, kebabcase,
 * camelcase, which is xstrings' ToPascalCase), Masterminds/goutils v1.1.1 (swapcase,
 * untitle) and Go's strings.Title: their word rules, rune by rune.
 */

const isConnector = (rune: string): boolean => rune === '-' || rune === '_' || isSpace(rune);

/** xstrings' isAlphabet: a letter that is not CJK. */
function isAlphabet(rune: string): boolean {
  if (!isLetter(rune)) return false;
  const code = rune.codePointAt(0)!;
  if (code < 0x3400) return true;
  if (code >= 0x4e00 && code <= 0x9fcc) return false;
  if (code >= 0x3400 && code <= 0x4d85) return false;
  if (code >= 0x20000 && code <= 0x2b81d) return false;
  return true;
}

enum Word {
  Invalid,
  Number,
  UpperCase,
  Alphabet,
  Connector,
  Punct,
  Other,
}

interface Token {
  type: Word;
  word: string;
  /** Index of the rune after the word. */
  next: number;
}

function nextWord(runes: readonly string[], start: number): Token {
  if (start >= runes.length) return { type: Word.Invalid, word: '', next: start };
  let end = start + 1;
  const first = runes[start]!;
  const take = (accept: (rune: string) => boolean) => {
    while (end < runes.length && accept(runes[end]!)) end++;
  };
  let type: Word;
  if (isConnector(first)) {
    type = Word.Connector;
    take(isConnector);
  } else if (isPunct(first)) {
    type = Word.Punct;
    take(isPunct);
  } else if (isUpper(first)) {
    type = Word.UpperCase;
    const second = runes[end];
    if (second !== undefined && isUpper(second)) {
      take(isUpper);
      // "HTTPStatus" is "HTTP" then "Status": the last capital starts the next word.
      if (end < runes.length && isAlphabet(runes[end]!)) end--;
    } else if (second !== undefined && isAlphabet(second)) {
      take((rune) => isAlphabet(rune) && !isUpper(rune));
    }
  } else if (isAlphabet(first)) {
    type = Word.Alphabet;
    take((rune) => isAlphabet(rune) && !isUpper(rune));
  } else if (isNumber(first)) {
    type = Word.Number;
    take(isNumber);
  } else {
    type = Word.Other;
    take((rune) => !(isConnector(rune) || isAlphabet(rune) || isNumber(rune) || isPunct(rune)));
  }
  return { type, word: runes.slice(start, end).join(''), next: end };
}

function lowerWord(type: Word, word: string, connector: string): string {
  if (type !== Word.UpperCase && type !== Word.Connector) return word;
  return mapRunes(word, (rune) => (isConnector(rune) ? connector : isUpper(rune) ? toLowerRune(rune) : rune));
}

/** xstrings' camelCaseToLowerCase: words joined by `connector`, numbers kept with the word before them. */
function wordsToLowerCase(text: string, connector: string): string {
  if (text === '') return '';
  const runes = [...text];
  let out = '';
  let token = nextWord(runes, 0);
  const after = (current: Token): Token => nextWord(runes, current.next);
  const separates = (type: Word) => type !== Word.Invalid && type !== Word.Punct && type !== Word.Connector;
  while (token.next < runes.length) {
    if (token.type !== Word.Connector) out += lowerWord(token.type, token.word, connector);
    const previous = token;
    token = after(token);
    switch (previous.type) {
      case Word.Number:
        while (token.type === Word.Alphabet || token.type === Word.Number) {
          out += lowerWord(token.type, token.word, connector);
          token = after(token);
        }
        if (separates(token.type)) out += connector;
        break;
      case Word.Connector:
        out += lowerWord(previous.type, previous.word, connector);
        break;
      case Word.Punct:
        break;
      default: {
        if (token.type !== Word.Number) {
          if (token.type !== Word.Connector && token.type !== Word.Punct) out += connector;
          break;
        }
        if (token.next >= runes.length) break;
        const number = token;
        token = after(token);
        if (token.type !== Word.Alphabet) {
          out += lowerWord(Word.Number, number.word, connector);
          if (token.type !== Word.Connector && token.type !== Word.Punct) out += connector;
          break;
        }
        // "HTTP2xx" is "http_2xx": lower-case letters after a number join it.
        out += connector + lowerWord(Word.Number, number.word, connector);
        while (token.type === Word.Alphabet || token.type === Word.Number) {
          out += lowerWord(token.type, token.word, connector);
          token = after(token);
        }
        if (separates(token.type)) out += connector;
      }
    }
  }
  return out + lowerWord(token.type, token.word, connector);
}

export const snakeCase = (text: string): string => wordsToLowerCase(text, '_');
export const kebabCase = (text: string): string => wordsToLowerCase(text, '-');

/** xstrings' ToPascalCase (Sprig's camelcase): connectors dropped, each word capitalised. */
export function pascalCase(text: string): string {
  if (text === '') return '';
  const runes = [...text];
  let out = '';
  let index = 0;
  let current = '';
  let firstUpper = false;
  while (index < runes.length) {
    current = runes[index++]!;
    if (!isConnector(current)) {
      firstUpper = isUpper(current);
      current = toUpperRune(current);
      break;
    }
    out += current;
  }
  // xstrings writes the last rune again here, so "_" becomes "__".
  if (index >= runes.length) return out + current;
  while (index < runes.length) {
    const previous = current;
    current = runes[index++]!;
    if (isConnector(current) && isConnector(previous)) {
      out += previous;
      continue;
    }
    if (isConnector(previous)) {
      firstUpper = isUpper(current);
      current = toUpperRune(current);
    } else {
      if (firstUpper) {
        if (isUpper(current)) current = toLowerRune(current);
        else firstUpper = false;
      }
      out += previous;
    }
  }
  return out + current;
}

/** goutils' SwapCase: upper and title case to lower; lower to upper (to title after white space). */
export function swapCase(text: string): string {
  let afterSpace = true;
  return mapRunes(text, (rune) => {
    if (isUpper(rune) || isTitle(rune)) {
      afterSpace = false;
      return toLowerRune(rune);
    }
    if (isLower(rune)) {
      const swapped = afterSpace ? toTitleRune(rune) : toUpperRune(rune);
      afterSpace = false;
      return swapped;
    }
    afterSpace = isSpace(rune);
    return rune;
  });
}

/** goutils' Uncapitalize: the first rune of every white-space separated word to lower case. */
export function untitle(text: string): string {
  let next = true;
  return mapRunes(text, (rune) => {
    if (isSpace(rune)) {
      next = true;
      return rune;
    }
    if (!next) return rune;
    next = false;
    return toLowerRune(rune);
  });
}

/** strings.Title: the first rune after a separator to title case. */
export function titleCase(text: string): string {
  let previous = ' ';
  return mapRunes(text, (rune) => {
    const separated = isTitleSeparator(previous);
    previous = rune;
    return separated ? toTitleRune(rune) : rune;
  });
}

function isTitleSeparator(rune: string): boolean {
  const code = rune.codePointAt(0)!;
  if (code <= 0x7f) return !/[0-9a-zA-Z_]/.test(rune);
  if (isLetter(rune) || /^\p{Nd}$/u.test(rune)) return false;
  return isSpace(rune);
}
