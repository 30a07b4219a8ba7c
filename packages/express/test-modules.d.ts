// Express 4 is installed next to Express 5 under an alias; it has the same API surface here.
declare module 'express4' {
  import express from 'express';
  export default express;
}
