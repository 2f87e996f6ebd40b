/** `1 slot call`, `2 slot calls`: a count with its noun, for anything a person reads. */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
