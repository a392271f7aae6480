/** Vite `?raw` imports: the file's text (the shared provider fixtures are read this way). */
declare module "*?raw" {
  const content: string;
  export default content;
}
