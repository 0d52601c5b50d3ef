import { Token } from 'cdktn';
import { invalidProp } from './invalid-prop';

/**
 * `text` as a Terraform string literal: in the JSON syntax every string is a template, where `${` starts an
 * interpolation and `%{` a directive, so both are doubled
 * (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1). For literal text such
 * as a script: a cdktn token in it would be escaped too, so `construct` refuses one, naming `prop`.
 */
export function terraformLiteral(construct: string, prop: string, text: string): string {
  if (Token.isUnresolved(text)) invalidProp(construct, prop, 'literal text, without Terraform references', text);
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
