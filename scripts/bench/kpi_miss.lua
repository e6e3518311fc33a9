-- Every request asks for a different learner and query, so the response cache never answers: the database path.
counter = 0
request = function()
  counter = counter + 1
  local learner = string.format("u%06d", (counter * 7919) % 100000 + 1)
  return wrk.format("GET", "/v1/users/" .. learner .. "/kpis?weeks=4&n=" .. counter .. "-" .. math.random(1, 1000000))
end
