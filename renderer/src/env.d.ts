/// <reference types="vite/client" />
// Vite's client types: CSS and asset imports (e.g. `import './styles/tokens.css'`).
