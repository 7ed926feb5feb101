const n = parseInt(require("fs").readFileSync(0, "utf8"), 10);
let [a, b] = [0n, 1n];
for (let i = 0; i < n; i++) [a, b] = [b, a + b];
console.log(a.toString());
