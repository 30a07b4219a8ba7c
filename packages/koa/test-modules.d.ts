// Koa 2 is installed next to Koa 3 under an alias; it has the same API surface here.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
