"""SQL statements per request, reported in ``X-Bench-Statements`` when the request sends
``X-Bench-Count: 1`` (the bench asks once per path, outside the timed runs)."""

from django.db import connection


class StatementCounter:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Count") != "1":
            return self.get_response(request)
        statements = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Statements"] = str(len(statements))
        return response
